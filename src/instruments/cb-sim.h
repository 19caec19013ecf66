/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cb-instrument-types.h"

G_BEGIN_DECLS

/*
 * Simulated instruments: a digital multimeter (Keysight 34461A), a
 * multifunction calibrator (Fluke 5520A), a pressure controller (Druck
 * PACE5000) and a Modbus RTU thermohygrometer.  Each serves one descriptor
 * (a pty master, a socket) with seeded noise, drift, settling, range limits,
 * an error queue, and faults on request.  calbench-sim runs one as a
 * program; tests run one in-process on a thread.
 */

typedef enum
{
  CB_SIM_DMM,
  CB_SIM_CALIBRATOR,
  CB_SIM_PRESSURE,
  CB_SIM_THERMOHYGROMETER,
} CbSimKind;

typedef enum
{
  CB_SIM_FAULT_NONE,
  CB_SIM_FAULT_GARBAGE,     /* random bytes instead of a reply */
  CB_SIM_FAULT_STALL,       /* a command is neither carried out nor answered */
  CB_SIM_FAULT_DISCONNECT,  /* half a reply, then the line closes */
  CB_SIM_FAULT_BAD_CRC,     /* a Modbus reply with a wrong CRC */
} CbSimFaultKind;

/* Faults hit replies: every reply after the first @after, each with
 * @probability (1: always), at most @limit of them (0: no limit). */
typedef struct
{
  CbSimFaultKind kind;
  guint          after;
  double         probability;
  guint          limit;
} CbSimFault;

typedef struct _CbSim CbSim;

CbSim       *cb_sim_new                 (CbSimKind          kind,
                                         guint32            seed);
void         cb_sim_free                (CbSim             *sim);
CbSimKind    cb_sim_get_kind            (CbSim             *sim);

/* "dmm", "calibrator", "pressure", "thermohygrometer". */
const char  *cb_sim_kind_to_name        (CbSimKind          kind);
gboolean     cb_sim_kind_from_name      (const char        *name,
                                         CbSimKind         *kind);
/* "none", "garbage", "stall", "disconnect", "bad-crc". */
gboolean     cb_sim_fault_kind_from_name (const char       *name,
                                         CbSimFaultKind    *kind);

void         cb_sim_set_fault           (CbSim             *sim,
                                         const CbSimFault  *fault);
/* What the DMM measures, in the base unit of its function (1 V by default). */
void         cb_sim_set_input           (CbSim             *sim,
                                         double             value);
/* The thermohygrometer's room temperature around which it swings and
 * drifts (23 °C by default). */
void         cb_sim_set_room_temperature (CbSim            *sim,
                                         double             celsius);
/* Connects the DMM's input to @source's output, as test leads do: the DMM
 * then measures the calibrator's output while it is in operate, and 0 in
 * standby.  @source (NULL to disconnect) must outlive @sim's serving. */
void         cb_sim_connect             (CbSim             *sim,
                                         CbSim             *source);
/* Moves the simulated clock on, for settling and drift without waiting. */
void         cb_sim_advance             (CbSim             *sim,
                                         double             seconds);

/* The state, for tests: the calibrator in operate, the controller
 * controlling. */
gboolean     cb_sim_get_output_on       (CbSim             *sim);
/* The calibrator's output or the controller's set point. */
double       cb_sim_get_output_value    (CbSim             *sim);
guint        cb_sim_get_n_commands      (CbSim             *sim);
guint        cb_sim_get_n_faults        (CbSim             *sim);

/* Serves @fd (taking ownership) until the other end hangs up, a disconnect
 * fault closes it, or @cancellable is cancelled (then G_IO_ERROR_CANCELLED).
 * Blocks: run it on a thread. */
gboolean     cb_sim_serve_fd            (CbSim             *sim,
                                         int                fd,
                                         GCancellable      *cancellable,
                                         GError           **error);
/* A raw-mode pty pair; @path receives the slave's path. */
gboolean     cb_sim_open_pty            (int               *master,
                                         int               *slave,
                                         char             **path,
                                         GError           **error);
/* Listens on 127.0.0.1:@port (0: any free port); returns the socket. */
int          cb_sim_listen_tcp          (guint16            port,
                                         guint16           *bound_port,
                                         GError           **error);
/* Accepts connections on @listener one at a time and serves each, until
 * @cancellable is cancelled.  Does not close @listener. */
gboolean     cb_sim_serve_listener      (CbSim             *sim,
                                         int                listener,
                                         GCancellable      *cancellable,
                                         GError           **error);

/* The calbench-sim program. */
int          cb_sim_program_run         (int                argc,
                                         char             **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbSim, cb_sim_free)

G_END_DECLS
