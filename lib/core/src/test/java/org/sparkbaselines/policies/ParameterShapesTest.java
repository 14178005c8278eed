package org.sparkbaselines.policies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.DictSpace;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.MultiBinary;
import org.sparkbaselines.spaces.MultiDiscrete;
import org.sparkbaselines.spaces.Space;

/** The parameter shapes worked out without building a policy are those of the built policy, in its order. */
class ParameterShapesTest {

    static Stream<Arguments> layouts() {
        Map<String, Object> shared = Map.of("net_arch", List.of(32, Map.of("pi", List.of(16), "vf", List.of(8, 8))));
        Map<String, Object> headsOnly = Map.of("net_arch", List.of(Map.of("pi", List.of(), "vf", List.of())));
        LinkedHashMap<String, Space> dict = new LinkedHashMap<>();
        dict.put("position", new Box(-1f, 1f, 2, 3));
        dict.put("flag", new MultiBinary(2));
        return Stream.of(
                Arguments.of(new Box(-5f, 5f, 4), new Discrete(2), Map.of()),
                Arguments.of(new Box(-5f, 5f, 3), new Box(-1f, 1f, 2), shared),
                Arguments.of(new Discrete(7), new MultiDiscrete(3, 4), headsOnly),
                Arguments.of(new MultiDiscrete(2, 5), new MultiBinary(3), Map.of("layers", List.of(12))),
                Arguments.of(new DictSpace(dict), new Box(-1f, 1f, 1), shared));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void shapesWorkedOutWithoutBuildingAreThoseOfTheBuiltPolicy(Space observations, Space actions, Map<String, Object> kwargs) {
        PolicyKwargs parsed = PolicyKwargs.fromMap(kwargs);
        Map<String, int[]> worked = ActorCriticPolicy.parameterShapes(observations, actions, parsed);
        Map<String, int[]> built = new ActorCriticPolicy(observations, actions, parsed, 0L).parameterShapes();
        assertEquals(List.copyOf(built.keySet()), List.copyOf(worked.keySet()));
        built.forEach((name, shape) -> assertArrayEquals(shape, worked.get(name), name));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theActionPathIsTheSharedAndPolicyLayersWithTheirShapes(Space observations, Space actions, Map<String, Object> kwargs) {
        ActorCriticPolicy policy = new ActorCriticPolicy(observations, actions, PolicyKwargs.fromMap(kwargs), 0L);
        Map<String, int[]> policyShapes = policy.parameterShapes();
        Map<String, int[]> path = policy.actionPath().parameterShapes();
        List<String> expected = policyShapes.keySet().stream()
                .filter(name -> name.startsWith("model/shared_fc") || name.startsWith("model/pi_fc") || name.startsWith("model/pi/") && !name.contains("logstd"))
                .toList();
        assertEquals(expected, List.copyOf(path.keySet()));
        path.forEach((name, shape) -> assertArrayEquals(policyShapes.get(name), shape, name));
    }

    @Test
    void widthsThatOverflowAnIntAreNamed() {
        int max = Integer.MAX_VALUE;
        IllegalArgumentException observations = assertThrows(IllegalArgumentException.class,
                () -> ActorCriticPolicy.parameterShapes(new MultiDiscrete(max, max), new Discrete(2), PolicyKwargs.DEFAULT));
        assertTrue(observations.getMessage().contains("one-hot encodes to more than 2147483647 network inputs"), observations.getMessage());
        IllegalArgumentException actions = assertThrows(IllegalArgumentException.class,
                () -> ActorCriticPolicy.parameterShapes(new Box(-1f, 1f, 2), new MultiDiscrete(max, max), PolicyKwargs.DEFAULT));
        assertTrue(actions.getMessage().contains("nvec sums to more than 2147483647 logits"), actions.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> PolicyKwargs.fromMap(Map.of("net_arch", List.of(5_000_000_000L))));
        assertTrue(width.getMessage().contains("net_arch widths must be at most 2147483647, got 5000000000"), width.getMessage());
    }

    @Test
    void anUnknownPolicyIsNamedBeforeAnythingIsWorkedOut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActorCriticPolicies.parameterShapes("CnnPolicy", new Box(-1f, 1f, 2), new Discrete(2), PolicyKwargs.DEFAULT));
        assertTrue(e.getMessage().contains("unknown policy 'CnnPolicy'"), e.getMessage());
    }
}
