/**
 * HTML/Markdown/JSON reports and text explanations; depends on core, io, verify; never imports ND4J.
 */
package convlab.report;
