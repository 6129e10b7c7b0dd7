/**
 * The picocli commands: thin, each parses its options, calls the other packages and prints. Exit codes: 0 everything
 * agrees, 1 something disagrees, 2 invalid input or command line.
 */
package convlab.cli;
