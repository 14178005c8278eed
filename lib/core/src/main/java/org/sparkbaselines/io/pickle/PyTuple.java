package org.sparkbaselines.io.pickle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple read from a pickle: an unmodifiable list of loaded values (which may include
 * {@code null} for {@code None}).
 *
 * <p>Equality and hash code are those of the item list. A tuple can reach itself through a mutable
 * list or dict it holds (Python allows that), so only {@link #toString()} is guaranteed to terminate on
 * every loaded value; keys the reader accepted into a dict or set are always safe to hash.
 *
 * @param items the items, copied into an unmodifiable list
 */
public record PyTuple(List<Object> items) {
    /** Copies {@code items}, which may contain nulls. */
    public PyTuple {
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    /** A tuple of {@code items}. */
    public static PyTuple of(Object... items) {
        return new PyTuple(Arrays.asList(items));
    }

    /** The number of items. */
    public int size() {
        return items.size();
    }

    /** The item at {@code index}. */
    public Object get(int index) {
        return items.get(index);
    }

    /** Python's rendering, e.g. {@code (1, 'a')} or {@code (1,)}, bounded in depth and length. */
    @Override
    public String toString() {
        return PyRepr.of(this);
    }
}
