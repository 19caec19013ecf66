/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "cb-sim-private.h"

/* SCPI parsing for the simulators: just what the instruments here need. */

typedef struct
{
  char     *text;       /* "VOLTage" */
  gboolean  optional;
} Node;

#define MAX_NODES 12

static guint
parse_pattern (const char *pattern,
               Node        nodes[MAX_NODES])
{
  guint n = 0;
  const char *p = pattern;

  while (*p != '\0' && n < MAX_NODES)
    {
      gboolean optional = FALSE;
      const char *start;

      if (*p == '[')
        {
          optional = TRUE;
          p++;
        }
      if (*p == ':')
        p++;
      start = p;
      while (*p != '\0' && *p != ':' && *p != '[' && *p != ']')
        p++;
      nodes[n].text = g_strndup (start, (gsize) (p - start));
      nodes[n].optional = optional;
      n++;
      if (p[0] == ':' && p[1] == ']')   /* "[SENSe:]" */
        p++;
      if (*p == ']')
        p++;
    }
  return n;
}

/* "NPLCycles" matches "NPLC" and "NPLCYCLES" in any case. */
static gboolean
node_matches (const char *header_node,
              const char *pattern_node)
{
  char short_form[32];
  gsize n = 0;

  for (const char *p = pattern_node; *p != '\0' && n < sizeof short_form - 1; p++)
    if (!g_ascii_islower (*p))
      short_form[n++] = *p;
  short_form[n] = '\0';
  return g_ascii_strcasecmp (header_node, short_form) == 0 ||
         g_ascii_strcasecmp (header_node, pattern_node) == 0;
}

static gboolean
match_from (char  **header,
            guint   n_header,
            guint   h,
            Node   *nodes,
            guint   n_nodes,
            guint   p)
{
  if (p == n_nodes)
    return h == n_header;
  if (nodes[p].optional && match_from (header, n_header, h, nodes, n_nodes, p + 1))
    return TRUE;
  return h < n_header && node_matches (header[h], nodes[p].text) &&
         match_from (header, n_header, h + 1, nodes, n_nodes, p + 1);
}

gboolean
cb_sim_scpi_match (const char *header,
                   const char *pattern)
{
  Node nodes[MAX_NODES];
  g_auto(GStrv) header_nodes = NULL;
  g_autofree char *pattern_copy = g_strdup (pattern);
  g_autofree char *header_copy = g_strdup (header);
  gboolean header_query, pattern_query;
  gsize hl = strlen (header_copy), pl = strlen (pattern_copy);
  guint n_nodes;
  gboolean matched;

  header_query = hl > 0 && header_copy[hl - 1] == '?';
  pattern_query = pl > 0 && pattern_copy[pl - 1] == '?';
  if (header_query != pattern_query)
    return FALSE;
  if (header_query)
    {
      header_copy[hl - 1] = '\0';
      pattern_copy[pl - 1] = '\0';
    }

  header_nodes = g_strsplit (header_copy[0] == ':' ? header_copy + 1 : header_copy, ":", MAX_NODES);
  n_nodes = parse_pattern (pattern_copy, nodes);
  matched = match_from (header_nodes, g_strv_length (header_nodes), 0, nodes, n_nodes, 0);
  for (guint i = 0; i < n_nodes; i++)
    g_free (nodes[i].text);
  return matched;
}

void
cb_sim_scpi_split (const char  *command,
                   char       **header,
                   char       **arguments)
{
  const char *p = command;

  while (*p != '\0' && !g_ascii_isspace (*p))
    p++;
  *header = g_strndup (command, (gsize) (p - command));
  while (g_ascii_isspace (*p))
    p++;
  *arguments = g_strdup (p);
}

gboolean
cb_sim_scpi_number (const char *text,
                    double      min,
                    double      max,
                    double      def,
                    double     *value)
{
  char *end = NULL;
  double v;

  if (g_ascii_strncasecmp (text, "MIN", 3) == 0)
    *value = min;
  else if (g_ascii_strncasecmp (text, "MAX", 3) == 0)
    *value = max;
  else if (g_ascii_strncasecmp (text, "DEF", 3) == 0)
    *value = def;
  else
    {
      errno = 0;
      v = g_ascii_strtod (text, &end);
      if (end == text || errno != 0 || !isfinite (v))
        return FALSE;
      while (g_ascii_isspace (*end))
        end++;
      if (*end != '\0' && *end != ',')
        return FALSE;
      *value = v;
    }
  return TRUE;
}
