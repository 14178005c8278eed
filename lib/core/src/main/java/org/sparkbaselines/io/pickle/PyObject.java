package org.sparkbaselines.io.pickle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An inert placeholder for a Python object a pickle builds by calling something the reader does not
 * evaluate ({@code REDUCE}, {@code NEWOBJ}, {@code NEWOBJ_EX}, {@code OBJ}, {@code INST}): it records
 * what was called, with which arguments, and the state {@code BUILD} gave it. Nothing is looked up,
 * instantiated or run.
 *
 * <p>For example a gym {@code Box} is a placeholder of type {@code gym.spaces.box.Box} whose
 * {@link #attribute(String) attribute("low")} is an {@link org.sparkbaselines.io.NdArray}, and a numpy
 * dtype is one of type {@code numpy.dtype} with arguments {@code ('f4', False, True)}. Identity is
 * equality, as for a plain Python object.
 */
public final class PyObject {
    private final Object callee;
    private final PyGlobal type;
    private final List<Object> args;
    private final Map<String, Object> kwargs;
    /** What BUILD set: our own map when the state was a dict (merged across BUILDs), else the state itself. */
    private Object state;

    /**
     * @param callee what was called: a {@link PyGlobal}, or another placeholder (cloudpickle calls the
     *     result of {@code _builtin_type('CodeType')})
     */
    PyObject(Object callee, List<Object> args, Map<String, Object> kwargs) {
        this.callee = Objects.requireNonNull(callee, "callee");
        if (callee instanceof PyGlobal global) {
            this.type = global;
        } else if (callee instanceof PyObject object) {
            this.type = object.type;
        } else {
            throw new IllegalArgumentException("a placeholder is made by calling a global or a placeholder, not " + callee.getClass());
        }
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
        this.kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    /**
     * The global this object was made from, e.g. {@code gym.spaces.box.Box}; when a placeholder was
     * called (see {@link #callee()}), the global at the root of that chain.
     */
    public PyGlobal type() {
        return type;
    }

    /** What was called to make this object: {@link #type()} itself, or the {@link PyObject} that was called. */
    public Object callee() {
        return callee;
    }

    /** The positional arguments of the call, as loaded values (unmodifiable). */
    public List<Object> args() {
        return args;
    }

    /** The keyword arguments of a {@code NEWOBJ_EX} call; otherwise empty (unmodifiable). */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    /**
     * What {@code BUILD} set, or null when nothing did: an unmodifiable map when the state was a dict
     * (the entries of every dict state merged, as Python's default {@code __setstate__} does), otherwise
     * the last state as loaded (often a tuple).
     */
    public Object state() {
        return state instanceof Map<?, ?> map ? Collections.unmodifiableMap(map) : state;
    }

    /** {@code state().get(key)} when the state is a dict, else null. */
    public Object attribute(String key) {
        return state instanceof Map<?, ?> map ? map.get(key) : null;
    }

    /** Applies a {@code BUILD}: a dict's entries are merged into the state, anything else replaces it. */
    void build(Object newState) {
        if (newState instanceof Map<?, ?> entries) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> merged = state instanceof Map<?, ?> ? (Map<Object, Object>) state : new LinkedHashMap<>();
            merged.putAll(entries);
            state = merged;
        } else {
            state = newState;
        }
    }

    /** For example {@code <gym.spaces.discrete.Discrete() state={'n': 2, ...}>}, bounded in depth and length. */
    @Override
    public String toString() {
        return PyRepr.of(this);
    }
}
