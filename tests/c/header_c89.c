/* Compiled with -std=c89 -pedantic -Werror: attune.h must stay C89-compatible. */
#include "attune.h"

int attune_header_c89_check(void);
int attune_header_c89_check(void) {
  attune_scoring_options o = ATTUNE_SCORING_OPTIONS_INIT;
  return (int)o.version + ATTUNE_OK;
}
