/* The shipped default rules (normalize/rules.default) as a C string: a
 * placeholder until the rule set lands. */
#include "norm_rules_default.h"

const char norm_rules_default_text[] = "";
