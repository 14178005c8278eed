package org.sparkbaselines.spark.expert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.Infos;
import org.sparkbaselines.env.StepResult;
import org.sparkbaselines.spark.delta.Episode;

/**
 * The work of one Spark task in expert generation: builds the expert and one env, then runs whole
 * episodes one after another — episode {@code i} reset with seed {@code firstSeed + i} — so every
 * episode is the same whichever task or attempt runs it.
 */
final class EpisodeTask implements FlatMapFunction<Iterator<Long>, Episode> {
    private static final long serialVersionUID = 1L;
    /** Expert data comes from one fixed policy. */
    private static final long POLICY_VERSION = 0;

    private final String envId;
    private final long firstSeed;
    private final boolean deterministic;
    private final String source;
    /** Exactly one of the two is set. */
    private final String expertName;
    private final Broadcast<byte[]> modelZip;

    private EpisodeTask(String envId, long firstSeed, boolean deterministic, String source, String expertName,
            Broadcast<byte[]> modelZip) {
        this.envId = envId;
        this.firstSeed = firstSeed;
        this.deterministic = deterministic;
        this.source = source;
        this.expertName = expertName;
        this.modelZip = modelZip;
    }

    /** Episodes of the registered expert {@code expertName}. */
    static EpisodeTask ofNamedExpert(String envId, long firstSeed, boolean deterministic, String source, String expertName) {
        return new EpisodeTask(envId, firstSeed, deterministic, source, expertName, null);
    }

    /** Episodes of the saved model whose zip file's bytes were broadcast. */
    static EpisodeTask ofSavedModel(String envId, long firstSeed, boolean deterministic, String source, Broadcast<byte[]> modelZip) {
        return new EpisodeTask(envId, firstSeed, deterministic, source, null, modelZip);
    }

    @Override
    public Iterator<Episode> call(Iterator<Long> episodeIds) throws Exception {
        ExpertPolicy policy = modelZip == null ? ExpertPolicy.named(expertName, envId) : ExpertPolicy.savedModel(modelZip.value(), envId);
        int worker = TaskContext.getPartitionId();
        List<Episode> episodes = new ArrayList<>();
        try (Env env = Envs.make(envId)) {
            while (episodeIds.hasNext()) {
                long episodeId = episodeIds.next();
                episodes.add(rollout(env, policy, episodeId, firstSeed + episodeId, worker));
            }
        }
        return episodes.iterator();
    }

    private Episode rollout(Env env, ExpertPolicy policy, long episodeId, long seed, int worker) {
        policy.startEpisode(seed);
        List<float[]> observations = new ArrayList<>();
        List<float[]> actions = new ArrayList<>();
        List<float[]> nextObservations = new ArrayList<>();
        double[] rewards = new double[256];
        // The env owns the arrays it returns and the predictor may reuse its own: keep copies.
        float[] observation = env.reset(seed).clone();
        StepResult step;
        do {
            float[] action = policy.act(observation, deterministic).clone();
            step = env.step(action);
            if (observations.size() == rewards.length) {
                rewards = Arrays.copyOf(rewards, 2 * rewards.length);
            }
            rewards[observations.size()] = step.reward();
            observations.add(observation);
            actions.add(action);
            observation = step.obs().clone();
            nextObservations.add(observation);
        } while (!step.done());
        Boolean success = step.info().get(Infos.IS_SUCCESS) instanceof Boolean reached ? reached : null;
        int length = observations.size();
        return new Episode(episodeId, worker, POLICY_VERSION, seed, source, observations.toArray(float[][]::new),
                actions.toArray(float[][]::new), Arrays.copyOf(rewards, length), nextObservations.toArray(float[][]::new),
                step.terminated(), step.truncated(), success, null, null, null);
    }
}
