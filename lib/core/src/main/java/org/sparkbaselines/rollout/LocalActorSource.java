package org.sparkbaselines.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.sparkbaselines.spaces.Space;

/**
 * Off-policy actors in this process, on one background thread: the same layout, env seeds and per-actor streams as
 * the Spark executor actors ({@link RolloutWorkers} with one env per worker), without Spark. Lets a laptop act and
 * learn at once, and is what executor actors are checked against.
 */
public final class LocalActorSource extends RoundActorSource {
    private final List<RolloutWorker> workers = new ArrayList<>();
    private final List<Actor> actors = new ArrayList<>();
    private final int stepsPerRound;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "local-actors");
        t.setDaemon(true);
        return t;
    });
    private ActorSpec builtFrom;

    /**
     * {@code nActors} actors, each one env of a registered env (env rank = actor id, seeded {@code seed + rank}).
     *
     * @param stepsPerRound steps each actor takes per round (per policy version)
     */
    public LocalActorSource(String envId, Map<String, Object> envKwargs, int nActors, int stepsPerRound, long seed) {
        if (nActors < 1 || stepsPerRound < 1) {
            throw new IllegalArgumentException("need at least one actor and one step per round, got " + nActors + " x " + stepsPerRound);
        }
        for (int a = 0; a < nActors; a++) {
            workers.add(RolloutWorkers.create(envId, envKwargs, a, 1, seed));
        }
        this.stepsPerRound = stepsPerRound;
    }

    @Override
    public int numActors() {
        return workers.size();
    }

    @Override
    public int stepsPerRound() {
        return stepsPerRound;
    }

    @Override
    protected Round startRound(ActorSpec spec, PolicySnapshot snapshot, int steps) {
        CompletableFuture<List<RolloutFragment>> round = CompletableFuture.supplyAsync(() -> {
            if (!spec.equals(builtFrom)) {
                actors.clear();
                for (RolloutWorker worker : workers) {
                    actors.add(spec.build(worker.env(), worker.workerId()));
                }
                builtFrom = spec;
            }
            List<RolloutFragment> fragments = new ArrayList<>(workers.size());
            for (int a = 0; a < workers.size(); a++) {
                actors.get(a).update(snapshot);
                fragments.add(workers.get(a).collect(actors.get(a), snapshot.version(), steps, null));
            }
            return fragments;
        }, thread);
        return new Round() {
            @Override
            public boolean isDone() {
                return round.isDone();
            }

            @Override
            public List<RolloutFragment> gather() {
                try {
                    return round.join();
                } catch (CompletionException | CancellationException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        };
    }

    @Override
    public Space observationSpace() {
        return workers.get(0).env().observationSpace();
    }

    @Override
    public Space actionSpace() {
        return workers.get(0).env().actionSpace();
    }

    /** Waits for a running round (its envs are in use), then closes the envs. */
    @Override
    public void close() {
        dropRunningRound();
        thread.shutdown();
        workers.forEach(RolloutWorker::close);
    }
}
