package org.sparkbaselines.vec;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.sparkbaselines.env.Env;
import org.sparkbaselines.env.EnvWrapper;

/**
 * Attribute access by name on an env and its wrappers, for {@code getAttr}, {@code setAttr} and
 * {@code envMethod}: the outermost object in the wrapper chain that has the attribute answers, as
 * the reference resolves attributes through nested wrappers.
 */
final class Attributes {
    private Attributes() {
    }

    static Object get(Env env, String name) {
        for (Env e = env; e != null; e = next(e)) {
            Method m = findMethod(e.getClass(), name, 0);
            if (m == null) {
                m = findMethod(e.getClass(), "get" + capitalize(name), 0);
            }
            if (m == null) {
                m = findMethod(e.getClass(), "is" + capitalize(name), 0);
            }
            if (m != null) {
                return invoke(m, e, new Object[0]);
            }
            Field f = findField(e.getClass(), name);
            if (f != null) {
                try {
                    return f.get(e);
                } catch (IllegalAccessException ex) {
                    throw new IllegalStateException("cannot read field '" + name + "' of " + e.getClass().getName(), ex);
                }
            }
        }
        throw new IllegalArgumentException("env " + env.getClass().getSimpleName() + " (and its wrappers) has no attribute '" + name + "'");
    }

    static void set(Env env, String name, Object value) {
        for (Env e = env; e != null; e = next(e)) {
            Method m = findMethod(e.getClass(), "set" + capitalize(name), 1);
            if (m != null) {
                invoke(m, e, new Object[] {value});
                return;
            }
            Field f = findField(e.getClass(), name);
            if (f != null && !Modifier.isFinal(f.getModifiers())) {
                try {
                    f.set(e, value);
                    return;
                } catch (IllegalAccessException | IllegalArgumentException ex) {
                    throw new IllegalArgumentException("cannot set '" + name + "' of " + e.getClass().getSimpleName() + " to " + value, ex);
                }
            }
        }
        throw new IllegalArgumentException("env " + env.getClass().getSimpleName() + " (and its wrappers) has no settable attribute '" + name + "'");
    }

    static Object call(Env env, String name, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        for (Env e = env; e != null; e = next(e)) {
            Method m = findMethod(e.getClass(), name, a.length);
            if (m != null) {
                return invoke(m, e, a);
            }
        }
        throw new IllegalArgumentException("env " + env.getClass().getSimpleName() + " (and its wrappers) has no public method '" + name
                + "' taking " + a.length + " argument(s)");
    }

    private static Env next(Env e) {
        return e instanceof EnvWrapper w ? w.inner() : null;
    }

    private static Method findMethod(Class<?> type, String name, int arity) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity && !Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        return null;
    }

    private static Field findField(Class<?> type, String name) {
        try {
            Field f = type.getField(name);
            return Modifier.isStatic(f.getModifiers()) ? null : f;
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static Object invoke(Method m, Object target, Object[] args) {
        try {
            m.setAccessible(true);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(m.getName() + " failed on " + target.getClass().getSimpleName(), cause);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot call " + m.getName() + " on " + target.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
