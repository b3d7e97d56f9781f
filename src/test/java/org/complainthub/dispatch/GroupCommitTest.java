package org.complainthub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void aLoneCallerCommitsItsItemAtOnceAndGetsItsResult() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> group = new GroupCommit<>(oneStep(items -> {
            batches.add(items);
            return items.stream().map(i -> "#" + i).toList();
        }), 10);

        assertThat(group.submit(7)).isEqualTo("#7");
        assertThat(group.submit(8)).isEqualTo("#8");
        assertThat(batches).containsExactly(List.of(7), List.of(8));
    }

    @Test
    void callersArrivingDuringACommitShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        int callers = 16;
        int perCaller = 200;
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger committing = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        GroupCommit<Integer, Integer> group = new GroupCommit<>(oneStep(items -> {
            if (committing.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            batchSizes.add(items.size());
            Thread.sleep(1); // the commit's I/O
            committing.decrementAndGet();
            return items.stream().map(i -> i * 2).toList();
        }), 8);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Integer>> wrong = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            wrong.add(pool.submit(() -> {
                int mismatches = 0;
                for (int i = 0; i < perCaller; i++) {
                    int item = caller * perCaller + i;
                    if (group.submit(item) != item * 2) {
                        mismatches++;
                    }
                }
                return mismatches;
            }));
        }
        for (Future<Integer> w : wrong) {
            assertThat(w.get(60, TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();

        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(callers * perCaller);
        assertThat(overlaps.get()).as("one commit at a time").isZero();
        assertThat(batchSizes).allMatch(n -> n <= 8);
        assertThat(batchSizes.size()).as("fewer commits than items").isLessThan(callers * perCaller / 2);
    }

    @Test
    void aFailedCommitFailsEveryItemInItAndTheNextCommitStillRuns() throws Exception {
        CountDownLatch bothWaiting = new CountDownLatch(1);
        ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
        GroupCommit<Integer, Integer> group = new GroupCommit<>(oneStep(items -> {
            items.forEach(i -> seen.put(i, true));
            if (items.contains(1)) {
                bothWaiting.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("broker away");
            }
            return items;
        }), 10);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> first = pool.submit(() -> group.submit(1));
        while (!seen.containsKey(1)) {
            Thread.sleep(1);
        }
        Future<Integer> second = pool.submit(() -> group.submit(2));
        Thread.sleep(50);
        bothWaiting.countDown();

        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("broker away");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(group.submit(3)).isEqualTo(3);
        pool.shutdown();
    }

    /** A chain: claim (a step), send (the middle), mark (the next step, with the next batch's claim). */
    @Test
    void chainedBatchesFinishEachBatchInTheStepThatStartsTheNextAndAnswerOnlyAfterIt() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger batchNumbers = new AtomicInteger();
        ConcurrentHashMap<Integer, Boolean> finished = new ConcurrentHashMap<>();
        GroupCommit<Integer, Integer> group = new GroupCommit<>(new GroupCommit.Chain<Integer, Integer, List<Integer>>() {
            @Override
            public List<Integer> step(List<Integer> previous, List<Integer> items) throws Exception {
                steps.incrementAndGet();
                if (previous != null) {
                    previous.forEach(i -> finished.put(i, true));
                }
                Thread.sleep(1);
                return items;
            }

            @Override
            public void middle(List<Integer> started) throws Exception {
                batchNumbers.incrementAndGet();
                Thread.sleep(2);
            }

            @Override
            public List<Integer> results(List<Integer> done) {
                return done.stream().map(i -> finished.containsKey(i) ? i * 3 : -1).toList();
            }
        }, 8);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Integer>> wrong = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int caller = c;
            wrong.add(pool.submit(() -> {
                int mismatches = 0;
                for (int i = 0; i < 100; i++) {
                    int item = caller * 100 + i;
                    if (group.submit(item) != item * 3) {
                        mismatches++;
                    }
                }
                return mismatches;
            }));
        }
        for (Future<Integer> w : wrong) {
            assertThat(w.get(60, TimeUnit.SECONDS)).as("every item answered after its batch was finished").isZero();
        }
        pool.shutdown();
        assertThat(finished).hasSize(1600);
        assertThat(steps.get()).as("steps shared between finishing one batch and starting the next")
                .isLessThan(2 * batchNumbers.get());
    }

    /**
     * Once a batch's middle (the broker's commit) succeeded, its callers are answered with success: a step that fails
     * to finish it (the database's mark) fails only the batch that step starts.
     */
    @Test
    void aFailedStepFailsTheBatchItStartsButNotTheOneItFinishes() throws Exception {
        CountDownLatch secondWaiting = new CountDownLatch(1);
        ConcurrentHashMap<Integer, Boolean> inMiddle = new ConcurrentHashMap<>();
        GroupCommit<Integer, Integer> group = new GroupCommit<>(new GroupCommit.Chain<Integer, Integer, List<Integer>>() {
            @Override
            public List<Integer> step(List<Integer> previous, List<Integer> items) {
                if (previous != null && previous.contains(13)) {
                    throw new IllegalStateException("database away");
                }
                return items;
            }

            @Override
            public void middle(List<Integer> started) throws Exception {
                if (started.contains(7)) {
                    throw new IllegalStateException("broker away");
                }
                inMiddle.put(started.get(0), true);
                if (started.contains(13)) {
                    secondWaiting.await(5, TimeUnit.SECONDS);
                }
            }

            @Override
            public List<Integer> results(List<Integer> done) {
                return done;
            }
        }, 8);

        assertThat(group.submit(1)).isEqualTo(1);
        assertThatThrownBy(() -> group.submit(7)).hasMessage("broker away");
        assertThat(group.submit(13)).as("committed by the broker: taken, though its mark failed").isEqualTo(13);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> first = pool.submit(() -> group.submit(13));
        while (!inMiddle.containsKey(13)) {
            Thread.sleep(1);
        }
        Future<Integer> second = pool.submit(() -> group.submit(14));
        Thread.sleep(50); // 14 waits for the step that finishes 13 and starts it
        secondWaiting.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(13);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("database away");
        assertThat(group.submit(2)).isEqualTo(2);
        pool.shutdown();
    }

    /** A batch committed in one step: the simplest chain, the batch's results at once. */
    interface Commit<T, R> {
        List<R> commit(List<T> items) throws Exception;
    }

    static <T, R> GroupCommit.Chain<T, R, List<R>> oneStep(Commit<T, R> commit) {
        return new GroupCommit.Chain<>() {
            @Override
            public List<R> step(List<R> previous, List<T> items) throws Exception {
                return items == null ? null : commit.commit(items);
            }

            @Override
            public void middle(List<R> started) {
            }

            @Override
            public List<R> results(List<R> finished) {
                return finished;
            }
        };
    }
}
