/** The Topolab version, printed by `topolab --version`. */
export const VERSION = '0.1.0';
