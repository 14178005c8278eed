package org.sparkbaselines.sb2;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sparkbaselines.io.MalformedFileException;
import org.sparkbaselines.io.NdArray;
import org.sparkbaselines.io.pickle.PyObject;
import org.sparkbaselines.io.pickle.PyTuple;
import org.sparkbaselines.spaces.Box;
import org.sparkbaselines.spaces.Discrete;
import org.sparkbaselines.spaces.Space;

/**
 * The spaces an SB2 file says its agent was trained on, compared with the env's before any parameter is:
 * an agent of another env is then named by its spaces ("Box(4,) and Discrete(2)"), not by the first
 * array whose shape happens to differ, and an env whose sizes agree but whose kind of actions does not
 * (Discrete(3) against Box(1,)) is named as such. Only the kind, the Box shape and the Discrete n are
 * compared: bounds are written differently by gym versions and our envs (float32 max or infinity).
 */
final class Sb2Spaces {
    private Sb2Spaces() {
    }

    /**
     * A saved gym space reduced to what decides whether the agent fits an env.
     *
     * @param kind {@code Box} or {@code Discrete}
     * @param shape the Box's shape (empty for Discrete)
     * @param n the Discrete's number of actions (0 for Box)
     */
    record Saved(String kind, int[] shape, int n) {
        boolean fits(Space space) {
            return kind.equals("Discrete") ? space instanceof Discrete d && d.n() == n
                    : space instanceof Box && Arrays.equals(shape, space.shape());
        }

        @Override
        public String toString() {
            return kind.equals("Discrete") ? "Discrete(" + n + ")" : "Box" + NdArray.formatShape(shape);
        }
    }

    /**
     * Refuses an env whose spaces are not those the file records. A space the file does not record
     * readably (an unknown gym class, a missing entry) is not compared: the parameter shapes are still checked.
     */
    static void requireFits(Sb2File file, Space observationSpace, Space actionSpace) throws MalformedFileException {
        Saved observations = read(file.get("observation_space"));
        Saved actions = read(file.get("action_space"));
        boolean observationsFit = observations == null || observations.fits(observationSpace);
        boolean actionsFit = actions == null || actions.fits(actionSpace);
        if (!observationsFit || !actionsFit) {
            throw new MalformedFileException(file.path() + " holds an agent for observations " + (observations == null ? "?" : observations)
                    + " and actions " + (actions == null ? "?" : actions) + "; the env has " + brief(observationSpace) + " and "
                    + brief(actionSpace) + " (is the model for this env?)");
        }
    }

    /** The space as {@link Saved} writes it, e.g. {@code Box(4,)}, so that both sides of a message read alike. */
    private static String brief(Space space) {
        if (space instanceof Discrete d) {
            return "Discrete(" + d.n() + ")";
        }
        return (space instanceof Box ? "Box" : space.getClass().getSimpleName()) + NdArray.formatShape(space.shape());
    }

    /**
     * The saved space: a {@code .pkl}'s gym {@code Box}/{@code Discrete} placeholder (its {@code shape} and
     * {@code n} set by BUILD), or a {@code .zip}'s JSON object ({@code :type:} naming the class beside the
     * JSON-able attributes {@code shape} and {@code n}); null when it is neither or does not say enough.
     */
    static Saved read(Object value) {
        if (value instanceof PyObject space && space.type().module().startsWith("gym.")) {
            return of(space.type().name(), shape(space), space.attribute("n"));
        }
        if (value instanceof Map<?, ?> json && json.get(":type:") instanceof String type) {
            String kind = type.endsWith(".Box'>") ? "Box" : type.endsWith(".Discrete'>") ? "Discrete" : null;
            return kind == null ? null : of(kind, json.get("shape") instanceof List<?> dims ? integers(dims) : null, json.get("n"));
        }
        return null;
    }

    private static Saved of(String kind, int[] shape, Object n) {
        if (kind.equals("Box") && shape != null) {
            return new Saved("Box", shape, 0);
        }
        boolean count = (n instanceof Long || n instanceof Integer) && ((Number) n).longValue() > 0
                && ((Number) n).longValue() <= Integer.MAX_VALUE;
        return kind.equals("Discrete") && count ? new Saved("Discrete", new int[0], ((Number) n).intValue()) : null;
    }

    /** A pickled Box's shape: its {@code shape} tuple, or (older gym) the shape of its {@code low} array. */
    private static int[] shape(PyObject box) {
        if (box.attribute("shape") instanceof PyTuple tuple) {
            int[] shape = new int[tuple.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(tuple.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
                    return null;
                }
                shape[i] = dim.intValue();
            }
            return shape;
        }
        return box.attribute("low") instanceof NdArray low ? low.shape() : null;
    }

    /** A {@code .zip}'s {@code shape}: a JSON list of non-negative ints, else null. */
    private static int[] integers(List<?> dims) {
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Integer dim) || dim < 0) {
                return null;
            }
            shape[i] = dim;
        }
        return shape;
    }
}
