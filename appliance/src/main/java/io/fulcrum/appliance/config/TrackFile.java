package io.fulcrum.appliance.config;

/**
 * A {@code track_file} block: a file whose number is added (times the weight) to the priority of tracking instances.
 *
 * <p>Immutable; any thread.
 *
 * @param name the name used by {@code track_file} references and {@code FILE_CHECK}
 * @param file {@code file} path
 * @param weight {@code weight} (default 1)
 * @param reverse {@code weight N reverse}
 * @param initFile the value {@code init_file} writes when the file is missing, or null without {@code init_file}
 * @param overwrite {@code init_file ... overwrite}
 * @param origin where the block starts
 */
public record TrackFile(String name, String file, int weight, boolean reverse, Long initFile, boolean overwrite,
                        Origin origin) {
}
