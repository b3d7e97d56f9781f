package org.complainthub.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit, as databases do it for their logs: each caller hands in one item and waits until it is committed;
 * whichever caller finds no commit running takes every item waiting (up to {@code maxBatch}) and commits them as one
 * batch for all. A lone caller commits at once (no added latency); under load, the items that arrive during one
 * commit share the next. A failed batch fails each of its items with the same exception.
 */
public final class GroupCommit<T, R> {

    /** Commits a batch; returns one result per item, in order, or throws for the batch as a whole. */
    @FunctionalInterface
    public interface Batch<T, R> {
        List<R> commit(List<T> items) throws Exception;
    }

    private static final long HANDOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Batch<T, R> batch;
    private final int maxBatch;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committing = new ReentrantLock();

    public GroupCommit(Batch<T, R> batch, int maxBatch) {
        this.batch = batch;
        this.maxBatch = maxBatch;
    }

    /** Commits the item (alone or with others) and returns its result; the batch's exception if it failed. */
    public R submit(T item) throws Exception {
        Pending<T, R> mine = new Pending<>(item, Thread.currentThread());
        waiting.add(mine);
        while (!mine.done) {
            if (committing.tryLock()) {
                try {
                    while (!mine.done) {
                        commitWaiting();
                    }
                } finally {
                    committing.unlock();
                }
                // whoever waits longest leads the next batch
                Pending<T, R> next = waiting.peek();
                if (next != null) {
                    LockSupport.unpark(next.thread);
                }
            } else {
                LockSupport.parkNanos(this, HANDOVER_NANOS);
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    private void commitWaiting() {
        List<Pending<T, R>> taken = new ArrayList<>();
        for (Pending<T, R> p; taken.size() < maxBatch && (p = waiting.poll()) != null; ) {
            taken.add(p);
        }
        if (taken.isEmpty()) {
            return;
        }
        List<R> results = null;
        Exception failure = null;
        try {
            results = batch.commit(taken.stream().map(p -> p.item).toList());
            if (results.size() != taken.size()) {
                failure = new IllegalStateException("a batch of " + taken.size() + " gave " + results.size() + " results");
            }
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("the batch failed", e);
        }
        for (int i = 0; i < taken.size(); i++) {
            Pending<T, R> p = taken.get(i);
            if (failure == null) {
                p.result = results.get(i);
            } else {
                p.failure = failure;
            }
            p.done = true;
            LockSupport.unpark(p.thread);
        }
    }

    private static final class Pending<T, R> {
        final T item;
        final Thread thread;
        R result;
        Exception failure;
        volatile boolean done;

        Pending(T item, Thread thread) {
            this.item = item;
            this.thread = thread;
        }
    }
}
