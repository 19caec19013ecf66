/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writes @node as indented JSON text.  Unlike json_to_string(), numbers are
 * written as the shortest decimal that reads back as the same double ("0.1",
 * not "0.10000000000000001"), so that a saved budget reads like the one a
 * person would type. */
char *cb_json_to_string (JsonNode *node);

G_END_DECLS
