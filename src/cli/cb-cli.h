/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of calbench-cli. */
typedef enum
{
  CB_CLI_EXIT_OK = 0,
  CB_CLI_EXIT_FAILURE = 1,    /* the work could not be done (I/O, no convergence) */
  CB_CLI_EXIT_BAD_INPUT = 2,  /* usage, malformed file or value */
} CbCliExit;

int cb_cli_run (int    argc,
                char **argv);

G_END_DECLS
