package org.sparkbaselines.env.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trajectories recorded from a reference implementation of an env (Gymnasium), as in
 * {@code shared/reference/gym-trajectories/*.json}:
 *
 * <pre>{@code
 * {"env_id": "CartPole-v1",
 *  "trajectories": [
 *    {"initial_state": [...], "initial_obs": [...], "max_episode_steps": 500, "reset_seed": 0,
 *     "steps": [{"action": 0, "obs": [...], "reward": 1.0, "terminated": false, "truncated": false}, ...]},
 *    ...]}
 * }</pre>
 *
 * A Discrete action is an integer, a Box action a list of numbers. Read a file with {@link #read(Path)};
 * replay it with {@link TrajectoryReplayer}.
 *
 * @param source where the trajectories came from (the file), for reports
 * @param envId the env id they were recorded with
 * @param trajectories the episodes, in file order
 */
public record RecordedTrajectories(String source, String envId, List<Trajectory> trajectories) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Copies the list, so a recording cannot change under a replay. */
    public RecordedTrajectories {
        trajectories = List.copyOf(trajectories);
    }

    /**
     * One recorded episode.
     *
     * @param initialState the env's internal state right after reset, in its {@code HasState} order
     * @param initialObs the observation of that state
     * @param maxEpisodeSteps the time limit it was recorded under, or null if the file has none
     * @param steps the steps, in order
     */
    public record Trajectory(double[] initialState, double[] initialObs, Integer maxEpisodeSteps, List<Step> steps) {
        /** Copies the list of steps. */
        public Trajectory {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One recorded step.
     *
     * @param action the action as the env takes it (a Discrete index as one float)
     * @param obs the observation after the step
     * @param reward the reward of the step
     * @param terminated whether the step ended the episode in a terminal state
     * @param truncated whether the step cut the episode short (time limit)
     */
    public record Step(float[] action, double[] obs, double reward, boolean terminated, boolean truncated) {
    }

    /**
     * Reads a trajectory file. A missing, unreadable or malformed file is an
     * {@link IllegalArgumentException} naming the file and, for a malformed one, the faulty field.
     */
    public static RecordedTrajectories read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such trajectory file");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trajectory file " + file, e);
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException(file + ": the file is empty");
        }
        return new Parser(file.toString()).parse(root);
    }

    /** Walks the JSON tree, naming the field and the file in every error. */
    private record Parser(String source) {
        RecordedTrajectories parse(JsonNode root) {
            if (!root.isObject()) {
                throw error("the top level", "a JSON object");
            }
            JsonNode envIdNode = field(root, "env_id", "the top level");
            if (!envIdNode.isTextual() || envIdNode.asText().isBlank()) {
                throw error("env_id", "a non-blank string");
            }
            String envId = envIdNode.asText();
            JsonNode list = field(root, "trajectories", "trajectories");
            if (!list.isArray() || list.isEmpty()) {
                throw error("trajectories", "a non-empty array");
            }
            List<Trajectory> trajectories = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                trajectories.add(trajectory(list.get(i), "trajectories[" + i + "]", envId));
            }
            return new RecordedTrajectories(source, envId, trajectories);
        }

        private Trajectory trajectory(JsonNode node, String where, String envId) {
            if (!node.isObject()) {
                throw error(where, "an object");
            }
            if (node.has("env_id") && !envId.equals(node.get("env_id").asText())) {
                throw error(where + ".env_id", "'" + envId + "' as at the top level, not '" + node.get("env_id").asText() + "'");
            }
            double[] initialState = numbers(field(node, "initial_state", where), where + ".initial_state");
            double[] initialObs = numbers(field(node, "initial_obs", where), where + ".initial_obs");
            Integer maxSteps = null;
            JsonNode limit = node.get("max_episode_steps");
            if (limit != null && !limit.isNull()) {
                if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.intValue() <= 0) {
                    throw error(where + ".max_episode_steps", "a positive integer");
                }
                maxSteps = limit.intValue();
            }
            JsonNode stepList = field(node, "steps", where);
            if (!stepList.isArray()) {
                throw error(where + ".steps", "an array");
            }
            List<Step> steps = new ArrayList<>(stepList.size());
            for (int i = 0; i < stepList.size(); i++) {
                steps.add(step(stepList.get(i), where + ".steps[" + i + "]"));
            }
            return new Trajectory(initialState, initialObs, maxSteps, steps);
        }

        private Step step(JsonNode node, String where) {
            if (!node.isObject()) {
                throw error(where, "an object");
            }
            JsonNode actionNode = field(node, "action", where);
            float[] action;
            if (actionNode.isNumber()) {
                action = new float[] {actionNode.floatValue()};
            } else {
                double[] values = numbers(actionNode, where + ".action");
                action = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    action[i] = (float) values[i];
                }
            }
            double[] obs = numbers(field(node, "obs", where), where + ".obs");
            JsonNode reward = field(node, "reward", where);
            if (!reward.isNumber()) {
                throw error(where + ".reward", "a number");
            }
            return new Step(action, obs, reward.doubleValue(), bool(node, "terminated", where), bool(node, "truncated", where));
        }

        private JsonNode field(JsonNode node, String name, String where) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new IllegalArgumentException(source + ": " + where + " has no '" + name + "'");
            }
            return value;
        }

        private boolean bool(JsonNode node, String name, String where) {
            JsonNode value = field(node, name, where);
            if (!value.isBoolean()) {
                throw error(where + "." + name, "true or false");
            }
            return value.booleanValue();
        }

        private double[] numbers(JsonNode node, String where) {
            if (!node.isArray() || node.isEmpty()) {
                throw error(where, "a non-empty array of numbers");
            }
            double[] values = new double[node.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode v = node.get(i);
                if (!v.isNumber()) {
                    throw error(where + "[" + i + "]", "a number, not " + v);
                }
                values[i] = v.doubleValue();
            }
            return values;
        }

        private IllegalArgumentException error(String where, String expected) {
            return new IllegalArgumentException(source + ": " + where + " must be " + expected);
        }
    }
}
