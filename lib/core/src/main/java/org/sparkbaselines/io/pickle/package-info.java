/**
 * Reading Python pickles without running them: {@link org.sparkbaselines.io.pickle.Pickle} interprets the
 * opcodes itself and builds only plain values, numpy arrays and inert placeholders
 * ({@link org.sparkbaselines.io.pickle.PyGlobal}, {@link org.sparkbaselines.io.pickle.PyObject}) for
 * everything else a file names. This is how Stable Baselines 2's {@code .pkl} models, which contain
 * cloudpickled code, are read safely.
 */
package org.sparkbaselines.io.pickle;
