"""Seconds of video analysed per wall second, with the detectors running, on generated clips.

Generates a guide-desk clip (customers walking up every 15 s) and a counter clip (the teller leaves
for 40 s) at 640×360, 15 frames per second like a recorder's sub-stream, then analyses them at the
chosen sampling rates (5 fps at a guide desk, 2 fps at a counter) in one process and in
--processes at once (2 = the 2 cores), and prints the per-detector costs on the same frames."""
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand


def _analyse(args):
    path, kind = args
    from servicehall.video.analysis import pipeline, scenes
    from servicehall.video.analysis.setup import CameraSetup

    geometry, checks = (scenes.GUIDE_GEOMETRY, ("greeting", "bow")) if kind == "guide" else (scenes.COUNTER_GEOMETRY, ("absence", "phone"))
    started = time.perf_counter()
    track = pipeline.analyse(path, CameraSetup.from_geometry(geometry, checks))
    return kind, track.duration, time.perf_counter() - started, track.fps, track.meta["readings"], len(track.samples)


class Command(BaseCommand):
    help = "Video analysis speed: seconds of video per wall second at the chosen sampling rate (aim ≥ 3× real time)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=90.0, help="length of each generated clip")
        parser.add_argument("--processes", type=int, default=2)

    def handle(self, *args, seconds, processes, **options):
        from servicehall.video.analysis import scenes

        w = self.stdout.write
        w(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            guide = scenes.write(scenes.guide_script(seconds, every=15.0), Path(tmp) / "guide", fps=15.0)
            counter = scenes.write(scenes.counter_script(seconds, away=((20.0, 60.0),)), Path(tmp) / "counter", fps=15.0)
            w(f"generated 2 clips of {seconds:.0f} s at 640×360, 15 fps in {time.perf_counter() - t0:.1f} s")
            jobs = [(str(guide), "guide"), (str(counter), "counter")]
            w("\none process:")
            for result in map(_analyse, jobs):
                kind, video, wall, fps, readings, n = result
                w(f"  {kind:<8} {video:6.1f} s of video in {wall:6.1f} s = {video / wall:5.1f}× real time "
                  f"(sampled at {fps:g} fps, {n} samples, face/pose read on {readings})")
            w(f"\n{processes} processes at once ({processes * 2} clips):")
            with multiprocessing.get_context("spawn").Pool(processes) as pool:
                started = time.perf_counter()
                results = pool.map(_analyse, jobs * processes)
                wall = time.perf_counter() - started
            video = sum(r[1] for r in results)
            w(f"  {video:.0f} s of video in {wall:.1f} s = {video / wall:.1f}× real time in all")
            w("\nper detector on the guide clip's frames (ms per frame, one process):")
            self._detectors(guide)
        w(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def _detectors(self, path):
        import cv2

        from servicehall.video.analysis import detectors, pipeline, scenes

        frames = [f for _t, f in pipeline.sample_frames(path, 5.0)][:150]
        crop = [cv2.cvtColor(pipeline._crop(f, scenes.GUIDE_GEOMETRY["staff_zone"]), cv2.COLOR_BGR2RGB) for f in frames]
        started = time.perf_counter()
        list(pipeline.sample_frames(path, 5.0))
        self.stdout.write(f"  decode + sample at 5 fps: {(time.perf_counter() - started) / len(frames) * 1000:.1f} ms per sample")
        for name, make, run, inputs in [
            ("face mesh (staff crop)", detectors.FaceReader, lambda d, x: d.read(x), crop),
            ("pose (staff crop)", detectors.PoseReader, lambda d, x: d.read(x), crop),
            ("face detection (staff crop)", lambda: detectors.FaceFinder(full_range=False), lambda d, x: d.boxes(x), crop),
            ("background subtraction (frame)", lambda: detectors.MovingPeople(exclude=scenes.GUIDE_GEOMETRY["staff_zone"]), lambda d, x: d.feet(x), frames),
        ]:
            detector = make()
            started = time.perf_counter()
            for x in inputs:
                run(detector, x)
            self.stdout.write(f"  {name:<32} {(time.perf_counter() - started) / len(inputs) * 1000:6.1f} ms")
