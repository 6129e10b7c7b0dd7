/**
 * The lesson page: one self-contained HTML file (template, styles, script and data in the page, no network) that
 * plays a case's layers step by step and explains any output cell from its taps. It is built from each layer's
 * {@code geometry} and {@code taps} alone, never from one op's loops, so each op of the family can become a chapter.
 * Depends on core, io, verify, render's colour scales and report's framework code; never imports ND4J.
 */
package convlab.report.lesson;
