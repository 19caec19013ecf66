/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON text of @node that any parser reads: json-glib 1.6 writes a double
 * whose shortest form has an exponent and no point (1e-08) as "1e-08.0";
 * this writes "1e-08".  Strings are left as they are. */
char *cb_json_to_text (JsonNode *node,
                       gboolean  pretty);

G_END_DECLS
