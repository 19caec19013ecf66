/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Render and sign a 3-page calibration certificate, over and over on one
 * core: certificates per second (the aim is 50). */

#include <stdio.h>

#include <glib/gstdio.h>

#include "certificate/cb-certificate.h"
#include "certificate/cb-keys.h"
#include "certificate/cb-pdf-sign.h"
#include "store/cb-store-demo.h"
#include "store/cb-store-records.h"
#include "store/cb-store-private.h"

#define N_CERTIFICATES 40

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("calbench-bench-certificate-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "lab.db", NULL);
  g_autofree char *keys = g_build_filename (dir, "keys", NULL);
  g_autofree char *cert_path = cb_keys_certificate_path (keys);
  g_autofree char *key_path = cb_keys_key_path (keys);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbLab) lab = cb_lab_new_default ();
  g_autoptr(CbRecord) record = NULL;
  g_autoptr(CbCertificateFacts) facts = NULL;
  CbStore *store = cb_store_open (db, &error);
  sqlite3_stmt *stmt = NULL;
  gint64 record_id = 0, start, elapsed, layout_us = 0, pdf_us = 0, sign_us = 0, fastest_us = G_MAXINT64;
  guint pages = 0;
  gsize bytes = 0;
  g_autofree char *command = NULL;

  if (store == NULL || !cb_store_demo_populate (store, &error) || !cb_keys_init (keys, cb_lab_get_name (lab), &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  sqlite3_prepare_v2 (store->db, "SELECT r.id FROM records r JOIN template_versions v ON v.id = r.template_version_id"
                                 " WHERE r.state = 'approved' AND v.document LIKE '%jjf1587%' ORDER BY r.id LIMIT 1",
                      -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    record_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  record = cb_store_record_load (store, record_id, &error);
  facts = record != NULL ? cb_store_certificate_facts (store, record_id, &error) : NULL;
  if (facts == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  /* Where the time goes: layout, PDF, signature. */
  {
    gint64 t0, t1, t2, t3;
    g_autoptr(CbCertificate) certificate = NULL;
    g_autoptr(GBytes) pdf = NULL;
    g_autoptr(GBytes) signed_pdf = NULL;

    t0 = g_get_monotonic_time ();
    certificate = cb_certificate_new (lab, record, facts, "JZ2026-000000", "original", NULL, "2026-11-23", &error);
    t1 = g_get_monotonic_time ();
    pdf = cb_certificate_to_pdf (certificate, &error);
    t2 = g_get_monotonic_time ();
    signed_pdf = cb_pdf_sign (pdf, cert_path, key_path, NULL, &error);
    t3 = g_get_monotonic_time ();
    if (signed_pdf != NULL && g_getenv ("CALBENCH_BENCH_PDF") != NULL)
      g_file_set_contents (g_getenv ("CALBENCH_BENCH_PDF"), g_bytes_get_data (signed_pdf, NULL),
                           g_bytes_get_size (signed_pdf), NULL);
    printf ("one certificate: layout %.1f ms, PDF %.1f ms, signature %.1f ms\n",
            (t1 - t0) / 1e3, (t2 - t1) / 1e3, (t3 - t2) / 1e3);
  }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CERTIFICATES; i++)
    {
      g_autofree char *number = g_strdup_printf ("JZ2026-%06u", i + 1);
      gint64 t0 = g_get_monotonic_time (), t1, t2;
      g_autoptr(CbCertificate) certificate = cb_certificate_new (lab, record, facts, number, "original", NULL,
                                                                 "2026-11-23", &error);
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GBytes) signed_pdf = NULL;

      t1 = g_get_monotonic_time ();
      pdf = certificate != NULL ? cb_certificate_to_pdf (certificate, &error) : NULL;
      t2 = g_get_monotonic_time ();
      signed_pdf = pdf != NULL ? cb_pdf_sign (pdf, cert_path, key_path, NULL, &error) : NULL;
      layout_us += t1 - t0;
      pdf_us += t2 - t1;
      sign_us += g_get_monotonic_time () - t2;
      fastest_us = MIN (fastest_us, g_get_monotonic_time () - t0);

      if (signed_pdf == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      pages = cb_certificate_get_n_pages (certificate);
      bytes = g_bytes_get_size (signed_pdf);
    }
  elapsed = g_get_monotonic_time () - start;
  printf ("render and sign a %u-page calibration certificate (%zu bytes): %.1f certificates per second (%.1f ms each)\n",
          pages, bytes, N_CERTIFICATES / (elapsed / 1e6), elapsed / 1e3 / N_CERTIFICATES);

  printf ("each: layout %.1f ms, PDF %.1f ms, signature %.1f ms; the fastest %.1f ms\n",
          layout_us / 1e3 / N_CERTIFICATES, pdf_us / 1e3 / N_CERTIFICATES, sign_us / 1e3 / N_CERTIFICATES,
          fastest_us / 1e3);

  cb_store_close (store);
  command = g_strdup_printf ("rm -rf '%s'", dir);
  return system (command) == 0 ? 0 : 1;
}
