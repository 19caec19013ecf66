/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "server/cb-server.h"
#include "store/cb-store.h"
#include "sync/cb-sync-client.h"

G_BEGIN_DECLS

/* A lab for a test: a folder with the server's database (staff in every
 * role, passwords "pw-LOGIN"), a TLS certificate made with GnuTLS now, and
 * a configuration on loopback port 0. */
typedef struct
{
  char           *dir;
  char           *config_path;
  CbServerConfig *config;
  CbServer       *server;       /* in-process, once started */
  GSubprocess    *process;      /* the real calbench-server, once spawned */
  char           *url;
  SoupSession    *session;
} TestLab;

TestLab     *test_lab_new          (void);
void         test_lab_free         (TestLab        *lab);
/* Writes the configuration again (after a test changed it). */
void         test_lab_save_config  (TestLab        *lab);
void         test_lab_start        (TestLab        *lab);
/* Runs calbench-server --config as a child process and reads its URL. */
void         test_lab_spawn        (TestLab        *lab);
/* SIGKILL, and waits for the child to be gone. */
void         test_lab_kill         (TestLab        *lab);
CbStore     *test_lab_open_bench   (TestLab        *lab,
                                    const char     *workstation);

/* One HTTPS request, the main loop running meanwhile; returns the body. */
char        *test_request          (TestLab        *lab,
                                    const char     *method,
                                    const char     *path,
                                    const char     *token,
                                    const char     *body,
                                    guint          *status);
/* Logs in and returns the token; fails the test on failure. */
char        *test_login            (TestLab        *lab,
                                    const char     *login,
                                    const char     *workstation);
CbSyncClient *test_client_new      (TestLab        *lab,
                                    CbStore        *bench,
                                    const char     *login);
gboolean     test_sync             (CbSyncClient   *client,
                                    CbSyncReport   *report,
                                    GError        **error);
/* COUNT(*) of an SQL query on @store. */
gint64       test_count            (CbStore        *store,
                                    const char     *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestLab, test_lab_free)

G_END_DECLS
