package org.sparkbaselines.algos.her;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sparkbaselines.algos.OffPolicyAlgorithm;
import org.sparkbaselines.buffers.ReplayBatch;
import org.sparkbaselines.buffers.ReplayBuffer;
import org.sparkbaselines.env.GoalEnv;
import org.sparkbaselines.spaces.DictSpace;

/**
 * Hindsight experience replay (Andrychowicz et al. 2017), the reference's {@code HindsightExperienceReplayWrapper}: the
 * transitions of an episode are held until it ends, then stored as they were and, for each, {@code n_sampled_goal} copies
 * whose desired goal is an achieved goal picked by the strategy, with the reward the env gives for it
 * ({@link GoalEnv#computeReward}) and no episode end. Observations are the goal env's Dict elements, flat (key by key
 * at the space's offsets, as {@code FlattenDictObservation} passes them).
 */
public final class HindsightReplay implements OffPolicyAlgorithm.ReplayWrapper {

    /** Where a replacement goal comes from, the reference's {@code GoalSelectionStrategy}. */
    public enum GoalSelectionStrategy {
        /** The goal achieved at a later step of the same episode (none for its last step). */
        FUTURE,
        /** The goal achieved at the episode's end. */
        FINAL,
        /** The goal achieved at any step of the episode. */
        EPISODE,
        /** The goal achieved in a transition drawn from the whole replay buffer. */
        RANDOM;

        /** The strategy of a reference name ({@code future}, {@code final}, {@code episode}, {@code random}). */
        public static GoalSelectionStrategy of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown goal_selection_strategy '" + name + "'; known: future, final, episode, random", e);
            }
        }
    }

    private record Transition(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
    }

    private final GoalEnv env;
    private final DictSpace space;
    private final int nSampledGoal;
    private final GoalSelectionStrategy strategy;
    private final SplittableRandom random;
    private final List<Transition> episode = new ArrayList<>();
    private ReplayBatch randomDraw;

    /**
     * @param env the goal env, for its Dict layout and {@link GoalEnv#computeReward}
     * @param nSampledGoal relabelled copies per transition, the paper's {@code k} (the reference's default 4)
     */
    public HindsightReplay(GoalEnv env, int nSampledGoal, GoalSelectionStrategy strategy, long seed) {
        if (nSampledGoal < 0) {
            throw new IllegalArgumentException("n_sampled_goal must be >= 0, got " + nSampledGoal);
        }
        this.env = env;
        this.space = env.observationSpace();
        this.nSampledGoal = nSampledGoal;
        this.strategy = strategy;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void add(ReplayBuffer buffer, float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated,
            boolean truncated) {
        episode.add(new Transition(observation.clone(), action.clone(), reward, nextObservation.clone(), terminated, truncated));
        if (terminated || truncated) {
            store(buffer);
            episode.clear();
        }
    }

    private void store(ReplayBuffer buffer) {
        for (int i = 0; i < episode.size(); i++) {
            Transition t = episode.get(i);
            buffer.add(t.observation, t.action, t.reward, t.nextObservation, t.terminated, t.truncated);
            if (strategy == GoalSelectionStrategy.FUTURE && i == episode.size() - 1) {
                break;
            }
            for (int k = 0; k < nSampledGoal; k++) {
                float[] goal = achievedGoal(i, buffer);
                float[] observation = t.observation.clone();
                float[] next = t.nextObservation.clone();
                space.put(observation, GoalEnv.DESIRED_GOAL, goal);
                space.put(next, GoalEnv.DESIRED_GOAL, goal);
                float reward = (float) env.computeReward(space.get(next, GoalEnv.ACHIEVED_GOAL), goal, null);
                buffer.add(observation, t.action, reward, next, false, false);
            }
        }
    }

    /** A replacement goal for the episode's transition {@code i}: an achieved goal (of an observation) picked by the strategy. */
    private float[] achievedGoal(int i, ReplayBuffer buffer) {
        float[] observation = switch (strategy) {
            case FUTURE -> episode.get(i + 1 + random.nextInt(episode.size() - i - 1)).observation;
            case FINAL -> episode.get(episode.size() - 1).observation;
            case EPISODE -> episode.get(random.nextInt(episode.size())).observation;
            case RANDOM -> {
                if (randomDraw == null) {
                    randomDraw = new ReplayBatch(1, buffer.obsDim(), buffer.actionDim());
                }
                buffer.sample(random, randomDraw);
                yield java.util.Arrays.copyOf(randomDraw.observations, buffer.obsDim());
            }
        };
        return space.get(observation, GoalEnv.ACHIEVED_GOAL);
    }
}
