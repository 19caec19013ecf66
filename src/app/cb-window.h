/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cb-session.h"

G_BEGIN_DECLS

/*
 * The main window: a sidebar of pages (one per job at the bench: the
 * uncertainty calculator first) and the page shown.  Pages are the children
 * of the window's GtkStack in ui/cb-window.ui; a page with a "folded"
 * property is told when the window shows one pane at a time.
 */

#define CB_TYPE_WINDOW (cb_window_get_type ())

G_DECLARE_FINAL_TYPE (CbWindow, cb_window, CB, WINDOW, AdwApplicationWindow)

/* @settings and @session may be NULL (without a lab store only the
 * calculator is there); with @restore FALSE the window neither restores nor
 * saves its size, and opens no earlier file (screenshots, tests). */
CbWindow   *cb_window_new                    (GtkApplication       *application,
                                              GSettings            *settings,
                                              CbSession            *session,
                                              gboolean              restore);
/* The names of the pages, in sidebar order ("login" first with a session). */
GStrv       cb_window_dup_page_names         (CbWindow             *self);
/* Shows each page in turn and saves it, as drawn, to
 * @directory/<page>-<language>.png; the window must be shown. */
void        cb_window_take_screenshots_async  (CbWindow            *self,
                                              const char           *directory,
                                              const char           *language,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The number of files written, or 0 with @error set. */
guint       cb_window_take_screenshots_finish (CbWindow            *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
