package io.fulcrum.appliance.config;

import java.util.Objects;

/**
 * Where a token or a configuration item came from: the file name as the operator wrote or included it, and a 1-based line.
 *
 * <p>Immutable; any thread may use it.
 *
 * @param file the file path as shown in messages
 * @param line the 1-based line number in that file, 0 when the message is about the whole file
 */
public record Origin(String file, int line) {

    /** Validates the fields. */
    public Origin {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line : file;
    }
}
