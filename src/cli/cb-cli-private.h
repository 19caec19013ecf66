/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cb-cli.h"
#include "core/cb-record.h"

G_BEGIN_DECLS

/* A subcommand: parses its own arguments (argv[0] is its name). */
typedef struct
{
  const char *name;
  const char *summary;   /* translatable, marked with N_() */
  int       (*run) (int argc, char **argv);
} CbCliCommand;

int       cb_cli_uncertainty   (int argc, char **argv);
int       cb_cli_mcm           (int argc, char **argv);
int       cb_cli_fit           (int argc, char **argv);
int       cb_cli_round         (int argc, char **argv);
int       cb_cli_report        (int argc, char **argv);
int       cb_cli_judge         (int argc, char **argv);
int       cb_cli_decide        (int argc, char **argv);
int       cb_cli_audit         (int argc, char **argv);
int       cb_cli_demo          (int argc, char **argv);
int       cb_cli_template      (int argc, char **argv);
int       cb_cli_record        (int argc, char **argv);
int       cb_cli_certificate   (int argc, char **argv);
int       cb_cli_keys          (int argc, char **argv);
int       cb_cli_instruments   (int argc, char **argv);
int       cb_cli_acquire       (int argc, char **argv);
int       cb_cli_procedure     (int argc, char **argv);
int       cb_cli_sync          (int argc, char **argv);
int       cb_cli_environment   (int argc, char **argv);

/* Parses the subcommand's options; prints usage errors and returns FALSE. */
gboolean  cb_cli_parse_options (GOptionContext *context,
                                int            *argc,
                                char         ***argv,
                                int             n_positional,
                                const char     *positional_name);
int       cb_cli_fail          (CbCliExit       status,
                                const char     *format,
                                ...) G_GNUC_PRINTF (2, 3);
int       cb_cli_fail_error    (CbCliExit       status,
                                const GError   *error);
void      cb_cli_print_json    (JsonNode       *node);
/* A record's computed cells, checks and conclusion, as text or JSON. */
void      cb_cli_print_record  (CbRecord       *record,
                                gboolean        json);
/* @text padded with spaces to @width terminal columns, on the left
 * for a positive width, on the right for a negative one. */
char     *cb_cli_pad           (const char     *text,
                                int             width);
void      cb_cli_add_dof       (JsonBuilder    *builder,
                                const char     *member,
                                double          dof);
/* Parses "1,2,3" (commas or spaces) into doubles; @option names the option in errors. */
GArray   *cb_cli_parse_list    (const char     *text,
                                const char     *option,
                                GError        **error);
gboolean  cb_cli_parse_number  (const char     *text,
                                const char     *option,
                                double         *value,
                                GError        **error);

G_END_DECLS
