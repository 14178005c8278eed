package org.sparkbaselines.logging;

import java.util.List;

/** An output of {@link Logger#log}: free-form messages (the console and {@code log.txt}). */
public interface SeqWriter {
    /** Writes the words separated by spaces, ends the line and flushes. */
    void writeSequence(List<String> words);
}
