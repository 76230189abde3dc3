package io.fulcrum.appliance.config;

/**
 * A configuration line after preprocessing (comments removed, includes, conditionals, parameters and sequences
 * resolved), keeping the file and line it came from. Confined to the loading thread.
 *
 * @param origin file and line of the physical line (for expanded parameters, the line that used them)
 * @param text the line text
 */
record LogicalLine(Origin origin, String text) {
}
