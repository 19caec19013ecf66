/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The workstation's preferences, kept in GSettings: the lab server, this
 * bench and its room, the ports of its instruments, the language.
 */

#define CB_TYPE_PREFERENCES_WINDOW (cb_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (CbPreferencesWindow, cb_preferences_window, CB, PREFERENCES_WINDOW, AdwPreferencesWindow)

CbPreferencesWindow *cb_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings);

G_END_DECLS
