/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include "cb-json-text.h"

char *
cb_json_to_text (JsonNode *node,
                 gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  char *in;
  char *out;
  gboolean in_string = FALSE;
  gboolean in_exponent = FALSE;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);

  /* Outside strings, drop the ".0" that follows the digits of an exponent. */
  for (in = out = text; *in != '\0'; in++)
    {
      if (in_string)
        {
          if (*in == '\\' && in[1] != '\0')
            {
              *out++ = *in++;
            }
          else if (*in == '"')
            in_string = FALSE;
        }
      else if (*in == '"')
        in_string = TRUE;
      else if (*in == 'e' || *in == 'E')
        in_exponent = TRUE;
      else if (in_exponent && *in == '.' && in[1] == '0'
               && !g_ascii_isdigit (in[2]) && in[2] != 'e' && in[2] != 'E')
        {
          in++;
          in_exponent = FALSE;
          continue;
        }
      else if (!g_ascii_isdigit (*in) && *in != '+' && *in != '-')
        in_exponent = FALSE;
      *out++ = *in;
    }
  *out = '\0';
  return text;
}
