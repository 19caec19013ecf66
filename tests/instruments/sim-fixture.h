/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "instruments/cb-instrument.h"
#include "instruments/cb-sim.h"

G_BEGIN_DECLS

/* A simulator serving a pty on its own thread, in this process. */
typedef struct
{
  CbSim        *sim;
  int           slave;       /* held open, as a program holding a port would */
  char         *path;
  GThread      *thread;
  GCancellable *cancellable;
} SimPty;

SimPty       *sim_pty_start (CbSimKind  kind,
                             guint32    seed);
void          sim_pty_stop  (SimPty    *pty);
/* A transport on the pty's slave with @timeout_ms, then the instrument on it
 * through @driver_name (NULL: probe). */
CbInstrument *sim_pty_open  (SimPty     *pty,
                             const char *driver_name,
                             int         timeout_ms);

G_END_DECLS
