/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "certificate/cb-certificate.h"
#include "certificate/cb-dcc.h"
#include "certificate/cb-keys.h"
#include "certificate/cb-pdf-sign.h"
#include "store/cb-store-records.h"

static CbLab *
load_lab (const char  *path,
          GError     **error)
{
  return path != NULL ? cb_lab_new_from_file (path, error) : cb_lab_new_default ();
}

static CbStore *
open_lab_db (const char  *db,
             GError     **error)
{
  if (db == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--db is required"));
      return NULL;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("--db %s: no such database file"), db);
      return NULL;
    }
  return cb_store_open (db, error);
}

static int
keys_run (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbLab) lab = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *lab_path = NULL;
  g_autofree char *import = NULL;
  g_autofree char *key = NULL;
  g_autofree char *password = NULL;
  gboolean init;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_("The keys folder"), "DIR" },
    { "lab", 0, 0, G_OPTION_ARG_FILENAME, &lab_path, N_("The lab file (default: the demo lab)"), "FILE" },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &import, N_("import: a PKCS#12 bundle, or a PEM certificate with --key"), "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("import: the PEM private key"), "FILE" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, N_("import: the bundle's or key's password"), "TEXT" },
    { NULL }
  };

  if (argc < 2 || (!g_str_equal (argv[1], "init") && !g_str_equal (argv[1], "import")))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("keys: expected a subcommand: init --dir DIR, or import --dir DIR --file FILE"));
  init = g_str_equal (argv[1], "init");
  argc--;
  argv++;
  context = g_option_context_new (init ? _("— make a lab CA and a signing certificate")
                                       : _("— import the lab's signing certificate and key"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (dir == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--dir is required"));

  if (!init)
    {
      if (import == NULL)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--file is required"));
      if (!cb_keys_import (dir, import, key, password, &error))
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      printf (_("Signing certificate and key imported into %s.\n"), dir);
      return CB_CLI_EXIT_OK;
    }
  lab = load_lab (lab_path, &error);
  if (lab == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (!cb_keys_init (dir, cb_lab_get_name (lab), &error))
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  printf (_("A lab CA and a signing certificate for %s are in %s (private keys readable by you only).\n"),
          cb_lab_get_name (lab), dir);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_keys (int    argc,
             char **argv)
{
  return keys_run (argc, argv);
}

static int
certificate_issue (int      argc,
                   char   **argv,
                   gboolean sign)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbLab) lab = NULL;
  g_autoptr(CbCertificate) certificate = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) signed_pdf = NULL;
  g_autofree char *db = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *lab_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *of = NULL;
  g_autofree char *number = NULL;
  g_autoptr(CbStoredCertificate) replaced = NULL;
  gint64 record_id = 0, replaced_id = 0, certificate_id = 0, id;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "record", 0, 0, G_OPTION_ARG_INT64, &record_id, N_("The approved record"), "ID" },
    { "id", 0, 0, G_OPTION_ARG_INT64, &certificate_id,
      N_("render: an issued certificate, written as it was issued (signed)"), "ID" },
    { "keys", 0, 0, G_OPTION_ARG_FILENAME, &keys, N_("The keys folder (calbench-cli keys init)"), "DIR" },
    { "lab", 0, 0, G_OPTION_ARG_FILENAME, &lab_path, N_("The lab file (default: the demo lab)"), "FILE" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("original (default), supplement or replacement"), "KIND" },
    { "of", 0, 0, G_OPTION_ARG_STRING, &of, N_("The certificate a supplement or replacement concerns, by id"), "ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the PDF here too"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (sign ? _("— issue the signed certificate of an approved record")
                                       : _("— render a record's certificate as an unsigned draft"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (!sign && certificate_id > 0)
    {
      g_autoptr(CbStoredCertificate) issued = NULL;
      g_autoptr(GBytes) stored = NULL;

      if (output == NULL)
        return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--output is required"));
      store = open_lab_db (db, &error);
      if (store == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      if ((issued = cb_store_certificate_get (store, certificate_id, &error)) == NULL
          || (stored = cb_store_certificate_get_pdf (store, certificate_id, &error)) == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      if (!g_file_set_contents (output, g_bytes_get_data (stored, NULL), (gssize) g_bytes_get_size (stored), &error))
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      printf (_("Certificate %s (%s): %s\n"), issued->number, issued->status, output);
      return CB_CLI_EXIT_OK;
    }
  if (record_id <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, sign ? _("--record is required")
                                                    : _("--record (a draft) or --id (an issued certificate) is required"));
  if (sign && keys == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--keys is required"));
  if (!sign && output == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--output is required"));
  if (kind != NULL && !g_str_equal (kind, "original") && !g_str_equal (kind, "supplement")
      && !g_str_equal (kind, "replacement"))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--kind: expected original, supplement or replacement, found “%s”"), kind);
  store = open_lab_db (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  lab = load_lab (lab_path, &error);
  if (lab == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (of != NULL)
    {
      replaced_id = g_ascii_strtoll (of, NULL, 10);
      replaced = cb_store_certificate_get (store, replaced_id, &error);
      if (replaced == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
    }

  if (sign)
    {
      g_autoptr(CbRecord) record = cb_store_record_load (store, record_id, &error);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      if (record == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      number = cb_store_certificate_next_number (store,
                                                 cb_lab_get_number_prefix (lab, cb_template_get_kind (cb_record_get_template (record))),
                                                 g_date_time_get_year (now), 6, &error);
      if (number == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
    }
  else
    number = g_strdup (_("DRAFT"));

  certificate = cb_certificate_new_for_record (store, lab, record_id, number, kind,
                                               replaced != NULL ? replaced->number : NULL, &error);
  if (certificate == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  if (!sign)
    {
      pdf = cb_certificate_to_pdf (certificate, &error);
      if (pdf == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      if (!g_file_set_contents (output, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &error))
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      printf (_("Draft certificate of record %lld, %u pages: %s\n"), (long long) record_id,
              cb_certificate_get_n_pages (certificate), output);
      return CB_CLI_EXIT_OK;
    }

  signed_pdf = cb_certificate_to_signed_pdf (certificate, lab, keys, &error);
  if (signed_pdf == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  cb_store_set_actor (store, g_get_user_name (), g_get_host_name ());
  id = cb_store_certificate_issue (store, record_id, number, kind != NULL ? kind : "original", replaced_id,
                                   signed_pdf, &error);
  if (id == 0)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  if (output != NULL
      && !g_file_set_contents (output, g_bytes_get_data (signed_pdf, NULL), (gssize) g_bytes_get_size (signed_pdf),
                               &error))
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  printf (_("Certificate %s issued (id %lld), %u pages\n  identifier %s\n  verification %s\n"), number, (long long) id,
          cb_certificate_get_n_pages (certificate), cb_certificate_get_identifier (certificate),
          cb_certificate_get_url (certificate));
  return CB_CLI_EXIT_OK;
}

static int
certificate_verify (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *db = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *signer = NULL;
  g_autofree char *sha256 = NULL;
  gsize length;
  CbPdfSignatureStatus status;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database, to check the issued file and its status"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (_("FILE.pdf — check a certificate's signature, file and status"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 1, "FILE.pdf"))
    return CB_CLI_EXIT_BAD_INPUT;
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);
  status = cb_pdf_check_signature (pdf, &signer, &error);
  printf (_("Signature: %s\n"), cb_pdf_signature_status_describe (status));
  if (signer != NULL)
    printf (_("Signed by: %s\n"), signer);
  if (status != CB_PDF_SIGNATURE_VALID)
    return CB_CLI_EXIT_FAILURE;

  if (db != NULL)
    {
      g_autoptr(CbStore) store = open_lab_db (db, &error);
      g_autoptr(CbStoredCertificate) certificate = NULL;
      gint64 id;

      if (store == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
      id = cb_store_certificate_find_by_sha256 (store, sha256, &error);
      if (id == 0)
        {
          printf (_("Issued file: not one the lab issued (SHA-256 %s)\n"), sha256);
          return CB_CLI_EXIT_FAILURE;
        }
      certificate = cb_store_certificate_get (store, id, &error);
      if (certificate == NULL)
        return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
      printf (_("Issued file: certificate %s, issued %s\nStatus: %s\n"), certificate->number, certificate->issued_at,
              certificate->status);
      if (!g_str_equal (certificate->status, "issued"))
        return CB_CLI_EXIT_FAILURE;
    }
  return CB_CLI_EXIT_OK;
}

static int
certificate_dcc (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autoptr(CbLab) lab = NULL;
  g_autofree char *db = NULL, *output = NULL, *lab_path = NULL, *xml = NULL;
  gint64 certificate_id = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The lab database"), "FILE" },
    { "id", 0, 0, G_OPTION_ARG_INT64, &certificate_id, N_("The issued certificate"), "ID" },
    { "lab", 0, 0, G_OPTION_ARG_FILENAME, &lab_path, N_("The lab file (default: the demo lab)"), "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the XML here (default: standard output)"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (_("— an issued certificate as a Digital Calibration Certificate (DCC 3.1.2)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (certificate_id <= 0)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--id is required"));
  store = open_lab_db (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  lab = load_lab (lab_path, &error);
  if (lab == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_BAD_INPUT, error);
  xml = cb_dcc_export (store, lab, certificate_id, &error);
  if (xml == NULL)
    return cb_cli_fail_error (g_error_matches (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND)
                              ? CB_CLI_EXIT_BAD_INPUT : CB_CLI_EXIT_FAILURE, error);
  if (output == NULL)
    fputs (xml, stdout);
  else if (!g_file_set_contents (output, xml, -1, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_certificate (int    argc,
                    char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "issue"))
    return certificate_issue (argc - 1, argv + 1, TRUE);
  if (argc >= 2 && g_str_equal (argv[1], "render"))
    return certificate_issue (argc - 1, argv + 1, FALSE);
  if (argc >= 2 && g_str_equal (argv[1], "verify"))
    return certificate_verify (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "dcc"))
    return certificate_dcc (argc - 1, argv + 1);
  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT,
                      _("certificate: expected a subcommand: issue, render, verify or dcc"));
}
