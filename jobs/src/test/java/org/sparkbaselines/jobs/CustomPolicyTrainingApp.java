package org.sparkbaselines.jobs;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.sparkbaselines.algos.AlgorithmOptions;
import org.sparkbaselines.algos.ppo2.PPO2;
import org.sparkbaselines.common.Evaluation;
import org.sparkbaselines.common.EvaluationResult;
import org.sparkbaselines.nn.Activation;
import org.sparkbaselines.policies.ActorCriticPolicies;
import org.sparkbaselines.policies.ActorCriticPolicy;
import org.sparkbaselines.policies.PolicyKwargs;
import org.sparkbaselines.spark.rollout.SparkRolloutSource;
import org.sparkbaselines.vec.VecEnvs;

/**
 * A user's spark-submit application with a policy of its own, registered by name on the driver only
 * (ReLU hidden layers whatever the kwargs say): PPO2 on CartPole with rollouts on the executors, which
 * build the policy the driver registered. Prints the evaluation for the test.
 * Arguments: timesteps, seed.
 */
public final class CustomPolicyTrainingApp {
    static final String POLICY = "ReluPolicy";

    private CustomPolicyTrainingApp() {
    }

    public static void main(String[] args) {
        long timesteps = Long.parseLong(args[0]);
        long seed = Long.parseLong(args[1]);
        ActorCriticPolicies.register(POLICY, (obs, act, kwargs, s) -> new ActorCriticPolicy(obs, act,
                new PolicyKwargs(kwargs.netArch(), Activation.RELU, kwargs.backend()), s));
        Map<String, Object> zoo = Map.of("n_steps", 32, "nminibatches", 1, "lam", 0.8, "gamma", 0.98, "noptepochs", 20, "ent_coef", 0.0,
                "learning_rate", "lin_0.001", "cliprange", "lin_0.2");
        SparkSession spark = SparkSession.builder().getOrCreate();
        try (SparkRolloutSource source = new SparkRolloutSource(spark, "CartPole-v1", Map.of(), 2, 4, seed)) {
            PPO2 model = new PPO2(POLICY, source, PPO2.Config.DEFAULT.with(zoo), AlgorithmOptions.DEFAULT.withSeed(seed));
            model.learn(timesteps);
            EvaluationResult eval = Evaluation.evaluatePolicy(model::predict, VecEnvs.makeVecEnv("CartPole-v1", 1, 100L), 10, true, false,
                    null, null);
            System.out.printf("policy %s, parameters %s%n", model.policyName(), model.getParameters().keySet());
            System.out.printf("mean reward %.2f%n", eval.meanReward());
        } finally {
            spark.stop();
        }
    }
}
