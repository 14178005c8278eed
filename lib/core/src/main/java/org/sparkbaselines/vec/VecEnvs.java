package org.sparkbaselines.vec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.Envs;
import org.sparkbaselines.env.Monitor;

/**
 * Builds monitored vectorized envs, the reference's
 * {@code make_vec_env(env_id, n_envs=1, seed=None, start_index=0, monitor_dir=None, wrapper_class=None,
 * env_kwargs=None, vec_env_cls=None)}: every env is wrapped in a {@link Monitor} (writing
 * {@code <monitorDir>/<rank>.monitor.csv} when a directory is given), and env {@code rank}
 * ({@code startIndex + i}) is seeded with {@code seed + rank}.
 */
public final class VecEnvs {
    private VecEnvs() {
    }

    /** {@code n} monitored copies of a registered env in a {@link DummyVecEnv}. */
    public static VecEnv makeVecEnv(String envId, int nEnvs, Long seed) {
        return builder(envId).nEnvs(nEnvs).seed(seed).build();
    }

    /** The signature: env id, count, seed, monitor directory (or null), vec env type. */
    public static VecEnv makeVecEnv(String envId, int nEnvs, Long seed, Path monitorDir, VecEnvType type) {
        return builder(envId).nEnvs(nEnvs).seed(seed).monitorDir(monitorDir).vecEnvType(type).build();
    }

    /** The same from an env factory instead of a registered id. */
    public static VecEnv makeVecEnv(Supplier<? extends Env> factory, int nEnvs, Long seed, Path monitorDir, VecEnvType type) {
        return builder(factory).nEnvs(nEnvs).seed(seed).monitorDir(monitorDir).vecEnvType(type).build();
    }

    /** All options, for a registered env id (built with {@code envKwargs}). */
    public static Builder builder(String envId) {
        Envs.spec(envId);
        return new Builder(envId, null);
    }

    /** All options, for an env factory. */
    public static Builder builder(Supplier<? extends Env> factory) {
        if (factory == null) {
            throw new IllegalArgumentException("env factory must not be null");
        }
        return new Builder(null, factory);
    }

    /** Options of {@code make_vec_env}, with its defaults. */
    public static final class Builder {
        private final String envId;
        private final Supplier<? extends Env> factory;
        private int nEnvs = 1;
        private Long seed;
        private int startIndex;
        private Path monitorDir;
        private UnaryOperator<Env> wrapper;
        private Map<String, Object> envKwargs = Map.of();
        private VecEnvType type = VecEnvType.DUMMY;

        private Builder(String envId, Supplier<? extends Env> factory) {
            this.envId = envId;
            this.factory = factory;
        }

        /** Number of envs (default 1). */
        public Builder nEnvs(int nEnvs) {
            if (nEnvs < 1) {
                throw new IllegalArgumentException("nEnvs must be at least 1, got " + nEnvs);
            }
            this.nEnvs = nEnvs;
            return this;
        }

        /** Base seed; env rank r gets {@code seed + r} (default none). */
        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        /** Rank of the first env (default 0). */
        public Builder startIndex(int startIndex) {
            this.startIndex = startIndex;
            return this;
        }

        /** Directory for monitor files, or null for none (default). */
        public Builder monitorDir(Path monitorDir) {
            this.monitorDir = monitorDir;
            return this;
        }

        /** Applied to each env after the Monitor (the reference's {@code wrapper_class}). */
        public Builder wrapper(UnaryOperator<Env> wrapper) {
            this.wrapper = wrapper;
            return this;
        }

        /** Keyword arguments for {@link Envs#make} (registered ids only). */
        public Builder envKwargs(Map<String, Object> envKwargs) {
            if (envId == null && envKwargs != null && !envKwargs.isEmpty()) {
                throw new IllegalArgumentException("envKwargs apply to registered env ids, not to env factories");
            }
            this.envKwargs = envKwargs == null ? Map.of() : envKwargs;
            return this;
        }

        /** {@link VecEnvType#DUMMY} (default) or {@link VecEnvType#PARALLEL}. */
        public Builder vecEnvType(VecEnvType type) {
            this.type = type == null ? VecEnvType.DUMMY : type;
            return this;
        }

        public VecEnv build() {
            List<Supplier<Env>> factories = new ArrayList<>(nEnvs);
            for (int i = 0; i < nEnvs; i++) {
                int rank = startIndex + i;
                factories.add(() -> makeOne(rank));
            }
            VecEnv venv = type == VecEnvType.PARALLEL ? new ParallelVecEnv(factories) : new DummyVecEnv(factories);
            if (seed != null) {
                venv.seed(seed + startIndex);
            }
            return venv;
        }

        private Env makeOne(int rank) {
            Env env = envId != null ? Envs.make(envId, envKwargs) : factory.get();
            Path file = monitorDir == null ? null : monitorDir.resolve(String.valueOf(rank));
            env = new Monitor(env, file, true, List.of());
            return wrapper == null ? env : wrapper.apply(env);
        }
    }
}
