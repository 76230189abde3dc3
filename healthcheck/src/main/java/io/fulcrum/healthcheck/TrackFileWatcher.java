package io.fulcrum.healthcheck;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories of the {@code FILE_CHECK} track files with the JDK's WatchService (inotify on Linux, like
 * keepalived) and tells each {@link FileCheck} when its file was written, created, moved in, moved away or deleted.
 *
 * <p>One daemon thread waits on the WatchService; no polling. keepalived reacts to IN_CLOSE_WRITE, which the JDK does
 * not expose, so a file's events are settled first: the file is read once no further event arrived for
 * {@link #SETTLE_MILLIS}, or at most {@link #SETTLE_LIMIT_MILLIS} after the first (a writer that truncates and then
 * writes is read once, after the write). Files are added before {@link #start()}; {@link #close()} may be called from
 * any thread, once.
 */
final class TrackFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrackFileWatcher.class);

    /** Quiet time after the last event of a burst before the files are read. */
    static final long SETTLE_MILLIS = 20;

    /** The longest a burst is settled: a file written without pause is still read this often. */
    static final long SETTLE_LIMIT_MILLIS = 250;

    private final Map<Path, Map<Path, List<FileCheck>>> byDir = new HashMap<>();
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final WatchService service;
    private final Thread thread;
    private volatile boolean closed;

    TrackFileWatcher(ThreadFactory factory) {
        try {
            this.service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a file watch service: " + e.getMessage(), e);
        }
        this.thread = factory.newThread(this::run);
        this.thread.setName("fulcrum-hc-files");
        this.thread.setDaemon(true);
    }

    /**
     * Watches the file of {@code check}. As keepalived, the path is resolved through symbolic links, and a file whose
     * directory does not exist is logged and not watched (it reads as 0).
     */
    void add(FileCheck check) {
        Path file = check.spec().file().toAbsolutePath().normalize();
        Path real;
        try {
            real = Files.exists(file) ? file.toRealPath() : file.getParent().toRealPath().resolve(file.getFileName());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Track file directory for {} does not exist - not watching it", file);
            return;
        }
        Path dir = real.getParent();
        if (!byDir.containsKey(dir)) {
            try {
                WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                keys.put(key, dir);
            } catch (IOException e) {
                LOG.warn("Unable to monitor track file {}: {}", file, e.getMessage());
                return;
            }
            byDir.put(dir, new HashMap<>());
        }
        byDir.get(dir).computeIfAbsent(real.getFileName(), k -> new ArrayList<>()).add(check);
    }

    /** Starts the watcher thread (nothing to do without files). */
    void start() {
        if (!keys.isEmpty()) {
            thread.start();
        }
    }

    private void run() {
        try {
            while (!closed) {
                Map<FileCheck, Boolean> dirty = new LinkedHashMap<>();
                WatchKey key = service.take();
                collect(key, dirty);
                // settle: keep collecting until the directory has been quiet for SETTLE_MILLIS (at most
                // SETTLE_LIMIT_MILLIS, so a file written without pause is still read)
                long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_LIMIT_MILLIS);
                while (System.nanoTime() < limit
                        && (key = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    collect(key, dirty);
                }
                for (Map.Entry<FileCheck, Boolean> e : dirty.entrySet()) {
                    try {
                        e.getKey().changed(e.getValue());
                    } catch (RuntimeException ex) {
                        LOG.warn("FILE_CHECK on {} failed to apply a change: {}", e.getKey().spec().file(),
                                ex.toString());
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Notes which watched files the key's events touch; {@code true} when the file is gone now. */
    private void collect(WatchKey key, Map<FileCheck, Boolean> dirty) {
        Path dir = keys.get(key);
        for (WatchEvent<?> ev : key.pollEvents()) {
            if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                // events were lost: re-read every file of the directory
                for (Map.Entry<Path, List<FileCheck>> e : byDir.getOrDefault(dir, Map.of()).entrySet()) {
                    boolean gone = !Files.exists(dir.resolve(e.getKey()));
                    e.getValue().forEach(c -> dirty.put(c, gone));
                }
                continue;
            }
            Path name = (Path) ev.context();
            List<FileCheck> checks = byDir.getOrDefault(dir, Map.of()).get(name);
            if (checks != null) {
                boolean gone = ev.kind() == StandardWatchEventKinds.ENTRY_DELETE && !Files.exists(dir.resolve(name));
                checks.forEach(c -> dirty.put(c, gone));
            }
        }
        key.reset();
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the file watch service: {}", e.toString());
        }
        thread.interrupt();
    }
}
