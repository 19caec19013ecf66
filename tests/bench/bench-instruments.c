/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../instruments/sim-fixture.h"

/*
 * Readings per second through the DMM driver (READ?, line splitting,
 * parsing, a CbReading with its timestamp) against plain write()/read()
 * round trips of the same command on the same pty to the same simulator.
 * The ratio is what the layers cost.
 */

/* Short alternating runs and their medians: on a shared two-core machine a
 * pty round trip depends on where the scheduler puts the two threads, so a
 * single long run of each says more about the scheduler than the code. */
#define SECONDS 0.25
#define ROUNDS 9

static double
driver_rate (CbInstrument *instrument)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (SECONDS * G_USEC_PER_SEC);
  guint n = 0;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbReading) reading = cb_instrument_measure (instrument, NULL, &error);

      g_assert_no_error (error);
      n++;
    }
  return n / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

/* One command, then bytes until the newline: the least any client does,
 * waiting as the transport does (read first, poll() when nothing is there). */
static void
raw_round_trip (int fd)
{
  char buffer[256];
  gboolean done = FALSE;

  g_assert_cmpint (write (fd, "READ?\n", 6), ==, 6);
  while (!done)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EAGAIN)
        {
          g_assert_cmpint (poll (&pfd, 1, 2000), ==, 1);
          continue;
        }
      g_assert_cmpint (n, >, 0);
      done = memchr (buffer, '\n', (gsize) n) != NULL;
    }
}

static double
raw_rate (const char *path)
{
  int fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK);
  gint64 start, end;
  guint n = 0;

  g_assert_cmpint (fd, >=, 0);
  start = g_get_monotonic_time ();
  end = start + (gint64) (SECONDS * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      raw_round_trip (fd);
      n++;
    }
  close (fd);
  return n / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  SimPty *pty = sim_pty_start (CB_SIM_DMM, 1);
  double through_driver[ROUNDS], raw[ROUNDS];
  double driver_median, raw_median;

  for (guint round = 0; round < ROUNDS; round++)
    {
      CbInstrument *instrument = sim_pty_open (pty, "dmm", 2000);

      through_driver[round] = driver_rate (instrument);
      cb_instrument_unref (instrument);
      raw[round] = raw_rate (pty->path);
    }
  qsort (through_driver, ROUNDS, sizeof (double), compare_doubles);
  qsort (raw, ROUNDS, sizeof (double), compare_doubles);
  driver_median = through_driver[ROUNDS / 2];
  raw_median = raw[ROUNDS / 2];

  printf ("DMM readings through the driver: %.0f per second (median of %d runs of %.2f s; %.0f to %.0f)\n",
          driver_median, ROUNDS, SECONDS, through_driver[0], through_driver[ROUNDS - 1]);
  printf ("raw READ? round trips on the same pty: %.0f per second (%.0f to %.0f)\n",
          raw_median, raw[0], raw[ROUNDS - 1]);
  printf ("driver / raw: %.2f\n", driver_median / raw_median);

  sim_pty_stop (pty);
  return 0;
}
