/* SPDX-License-Identifier: GPL-3.0-or-later */

/* A 200-point multimeter record (JJF 1587-2016 template, 10 readings per
 * point): time to recompute after editing one reading, and a full
 * recomputation.  The target is under 1 ms per edit. */

#include <stdio.h>

#include "core/cb-record.h"

#define N_POINTS 200
#define N_EDITS  2000

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_file (path, &error);
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(JsonArray) points = json_array_new ();
  gint64 start, elapsed;
  guint recomputed_edit;
  guint recomputed_full;

  if (tmpl == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  record = cb_record_new (tmpl);

  for (guint p = 0; p < N_POINTS; p++)
    {
      JsonObject *point = json_object_new ();
      g_autofree char *nominal = g_strdup_printf ("%u", 1 + p % 10);

      json_object_set_string_member (point, "nominal", nominal);
      json_object_set_string_member (point, "range", "10");
      json_object_set_string_member (point, "res", "0.00001");
      json_object_set_string_member (point, "cal_ppm", "12");
      json_object_set_string_member (point, "cal_floor", "0.00002");
      json_object_set_string_member (point, "spec_rdg", "0.0035");
      json_object_set_string_member (point, "spec_rng", "0.0005");
      json_array_add_object_element (points, point);
    }
  if (!cb_record_set_points (record, "dcv", points, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint p = 0; p < N_POINTS; p++)
    for (guint k = 0; k < 10; k++)
      {
        g_autofree char *id = g_strdup_printf ("dcv/%u/r/%u", p + 1, k + 1);
        g_autofree char *value = g_strdup_printf ("%u.0000%u", 1 + p % 10, k);

        cb_record_set_value (record, id, value, NULL);
      }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_EDITS; i++)
    {
      g_autofree char *id = g_strdup_printf ("dcv/%u/r/%u", 1 + i % N_POINTS, 1 + i % 10);
      g_autofree char *value = g_strdup_printf ("%u.0000%u", 1 + (i % N_POINTS) % 10, (i * 7) % 10);

      cb_record_set_value (record, id, value, NULL);
    }
  elapsed = g_get_monotonic_time () - start;
  recomputed_edit = cb_record_get_last_recomputed (record);
  printf ("edit one reading of %u points: %.1f µs per edit (%u cells recomputed)\n",
          N_POINTS, (double) elapsed / N_EDITS, recomputed_edit);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 20; i++)
    cb_record_set_value (record, "temperature", i % 2 ? "20.1" : "20.2", NULL);
  elapsed = g_get_monotonic_time () - start;
  recomputed_full = cb_record_get_last_recomputed (record);
  printf ("full recomputation: %.2f ms (%u cells)\n", (double) elapsed / 20 / 1000, recomputed_full);
  return 0;
}
