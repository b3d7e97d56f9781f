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
 * <p>
 * A batch has two durable steps with something in between ({@link Chain}: a database claim, the broker's commit, a
 * database mark). The leader chains batches while items keep arriving: the step that finishes one batch also starts
 * the next, so under load each batch costs one database commit instead of two.
 * <p>
 * Once a batch's middle has succeeded it is taken: a step that then fails fails only the batch it starts, and the one
 * it was to finish is answered with its results. Finishing it anyway (retrying in the background) is the chain's job.
 */
public final class GroupCommit<T, R> {

    /**
     * A batch in three parts. {@link #step} finishes the previous batch (null: none) and starts the next (null: none) in
     * one durable step, and returns the started batch's state; {@link #middle} runs between a batch's start and its
     * finish; {@link #results} are a finished batch's results, one per item. A step that throws fails the batch it
     * starts; the previous batch, whose middle succeeded, is answered with its results all the same (the step must
     * have finished it, or handed it to something that will).
     */
    public interface Chain<T, R, S> {
        S step(S previous, List<T> items) throws Exception;

        void middle(S started) throws Exception;

        List<R> results(S finished);
    }

    private static final long HANDOVER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Batches one leader chains at most once its own item is done, so that it can answer its own caller. */
    private static final int MAX_CHAIN = 8;

    private final Chain<T, R, ?> chain;
    private final int maxBatch;
    private final Queue<Pending<T, R>> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committing = new ReentrantLock();

    public GroupCommit(Chain<T, R, ?> chain, int maxBatch) {
        this.chain = chain;
        this.maxBatch = maxBatch;
    }

    /** Commits the item (alone or with others) and returns its result; the batch's exception if it failed. */
    public R submit(T item) throws Exception {
        Pending<T, R> mine = new Pending<>(item, Thread.currentThread());
        waiting.add(mine);
        while (!mine.done) {
            if (committing.tryLock()) {
                try {
                    lead(mine, chain);
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

    /** Takes batches while there are items (at least until {@code mine} is done), each finished by the next step. */
    private <S> void lead(Pending<T, R> mine, Chain<T, R, S> chain) {
        S open = null;
        List<Pending<T, R>> openItems = List.of();
        int chained = 0;
        while (true) {
            List<Pending<T, R>> taken = !mine.done || chained < MAX_CHAIN ? take() : List.of();
            if (open == null && taken.isEmpty()) {
                return;
            }
            S started;
            try {
                started = chain.step(open, taken.isEmpty() ? null : taken.stream().map(p -> p.item).toList());
            } catch (Exception | Error e) {
                if (open != null) {
                    complete(openItems, chain.results(open)); // its middle succeeded: it is taken
                }
                fail(taken, e);
                open = null;
                openItems = List.of();
                chained++;
                continue;
            }
            if (open != null) {
                complete(openItems, chain.results(open));
            }
            open = null;
            openItems = List.of();
            if (taken.isEmpty()) {
                return;
            }
            try {
                chain.middle(started);
                open = started;
                openItems = taken;
            } catch (Exception | Error e) {
                fail(taken, e);
            }
            chained++;
        }
    }

    private List<Pending<T, R>> take() {
        List<Pending<T, R>> taken = new ArrayList<>();
        for (Pending<T, R> p; taken.size() < maxBatch && (p = waiting.poll()) != null; ) {
            taken.add(p);
        }
        return taken;
    }

    private void complete(List<Pending<T, R>> items, List<R> results) {
        if (results == null || results.size() != items.size()) {
            fail(items, new IllegalStateException("a batch of " + items.size() + " gave "
                    + (results == null ? "no" : results.size()) + " results"));
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            Pending<T, R> p = items.get(i);
            p.result = results.get(i);
            p.done = true;
            LockSupport.unpark(p.thread);
        }
    }

    private void fail(List<Pending<T, R>> items, Throwable e) {
        Exception failure = e instanceof Exception ex ? ex : new IllegalStateException("the batch failed", e);
        for (Pending<T, R> p : items) {
            p.failure = failure;
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
