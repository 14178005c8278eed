package org.sparkbaselines.rollout;

import java.util.HashMap;
import java.util.SplittableRandom;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.vec.VecEnv;

/**
 * An on-policy worker's actor: the policy samples actions (stored as sampled), Box actions are clipped for the env,
 * and values and log-probabilities go to the learner.
 */
public final class PolicyActor implements Actor {
    private final ActorCriticPolicy policy;

    public PolicyActor(ActorCriticPolicy policy) {
        this.policy = policy;
    }

    /**
     * Builds replicas of a registered policy: by the factory it was registered with, from the same {@code policy_kwargs},
     * so a custom policy registered only on the driver acts the same on executors.
     *
     * @param policyKwargs the {@code policy_kwargs} map the driver's policy was built from
     */
    public record Spec(String policyName, ActorCriticPolicies.Factory policyFactory, HashMap<String, Object> policyKwargs, long seed)
            implements ActorSpec {

        public static Spec of(ActorCriticPolicies.Registration policy, long seed) {
            return new Spec(policy.name(), policy.factory(), new HashMap<>(policy.kwargs().toMap()), seed);
        }

        @Override
        public Actor build(VecEnv env, int workerId) {
            return new PolicyActor(ActorCriticPolicies.create(policyName, policyFactory, env.observationSpace(), env.actionSpace(),
                    PolicyKwargs.fromMap(policyKwargs), seed));
        }
    }

    @Override
    public void update(PolicySnapshot snapshot) {
        policy.setParameters(snapshot.parameters(), true);
    }

    @Override
    public void act(float[][] obs, int n, SplittableRandom random, float[][] actions, float[][] envActions, float[] values, float[] logProbs) {
        policy.act(obs, n, false, random, actions, values, logProbs);
        for (int i = 0; i < n; i++) {
            System.arraycopy(actions[i], 0, envActions[i], 0, actions[i].length);
            if (policy.actionSpace() instanceof Box box) {
                box.clip(envActions[i]);
            }
        }
    }

    @Override
    public void predictValues(float[][] obs, int n, float[] out) {
        policy.predictValues(obs, n, out);
    }
}
