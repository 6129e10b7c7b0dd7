/**
 * The one table of ops ({@link convlab.ops.Ops}): each op's parts outside the core (its sweep, its explainer) named
 * in one place. It sits right below the command line: it may depend on every package but {@code cli}, and only
 * {@code cli} depends on it (handing its parts down, as {@code Sweep.Plan} carries an op's sweep).
 */
package convlab.ops;
