/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cb-session.h"

G_BEGIN_DECLS

/*
 * The bench's instruments at a glance: one row per role that has a port in
 * the session (calibrator, multimeter, pressure controller, room sensor)
 * with its connection state and, for the instruments that measure, a live
 * reading refreshed about once a second.  The panel holds ports only while
 * "live" is on and it is not "busy": the procedure runner needs the same
 * ports, so the record page sets "busy" while a procedure or an Acquire
 * runs.  All instrument I/O runs on worker threads.
 */

#define CB_TYPE_INSTRUMENT_PANEL (cb_instrument_panel_get_type ())

G_DECLARE_FINAL_TYPE (CbInstrumentPanel, cb_instrument_panel, CB, INSTRUMENT_PANEL, GtkWidget)

CbInstrumentPanel *cb_instrument_panel_new                (void);
/* Shows a row per role with a port in @session (may be NULL).  Call it
 * again after the ports changed: a role whose port stayed keeps its row
 * and connection. */
void               cb_instrument_panel_set_session        (CbInstrumentPanel    *self,
                                                           CbSession            *session);
CbSession         *cb_instrument_panel_get_session        (CbInstrumentPanel    *self);
/* On: connects every row, and reads the measuring ones about once a second
 * while the panel is mapped.  Off: closes every connection. */
void               cb_instrument_panel_set_live           (CbInstrumentPanel    *self,
                                                           gboolean              live);
gboolean           cb_instrument_panel_get_live           (CbInstrumentPanel    *self);
/* While busy the panel holds no port and says the instruments are in use
 * by the procedure; afterwards it connects again if live is on. */
void               cb_instrument_panel_set_busy           (CbInstrumentPanel    *self,
                                                           gboolean              busy);
gboolean           cb_instrument_panel_get_busy           (CbInstrumentPanel    *self);
/* Switches live off: every connection closes, on worker threads. */
void               cb_instrument_panel_release            (CbInstrumentPanel    *self);
/* Completes once no port the panel opened is still open: after
 * set_busy (TRUE) or release, wait for it before opening the same ports. */
void               cb_instrument_panel_wait_closed_async  (CbInstrumentPanel    *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean           cb_instrument_panel_wait_closed_finish (CbInstrumentPanel    *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Ports the panel has open, or is opening or closing. */
guint              cb_instrument_panel_get_n_open_ports   (CbInstrumentPanel    *self);

G_END_DECLS
