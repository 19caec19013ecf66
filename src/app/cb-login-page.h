/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cb-session.h"

G_BEGIN_DECLS

/*
 * Logging in at the bench: user and password, checked against the local lab
 * store (so it works offline), on a worker thread.  The session's
 * "logged-in" property tells the window when to move on.
 */

#define CB_TYPE_LOGIN_PAGE (cb_login_page_get_type ())

G_DECLARE_FINAL_TYPE (CbLoginPage, cb_login_page, CB, LOGIN_PAGE, GtkWidget)

void        cb_login_page_set_session (CbLoginPage *self,
                                       CbSession   *session);
/* Clears the password and puts the focus where typing starts. */
void        cb_login_page_reset       (CbLoginPage *self);
/* Locked by @login (@name shown): the user is filled in and the password
 * asked; "Switch User" empties it.  NULL: an ordinary login. */
void        cb_login_page_set_locked  (CbLoginPage *self,
                                       const char  *login,
                                       const char  *name);
const char *cb_login_page_get_locked  (CbLoginPage *self);

G_END_DECLS
