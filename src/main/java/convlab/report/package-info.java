/**
 * Reports and explanations: the HTML, Markdown and JSON that say who agrees with whom, by how much and where, and
 * text that explains a layer. Each report is one model (records; its JSON by Jackson) rendered by the templates in
 * {@code src/main/resources/convlab/report}, which escape what they write. Depends on core, io, verify and the plain
 * engine records; never imports ND4J.
 */
package convlab.report;
