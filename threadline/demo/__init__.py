"""A seeded synthetic investigation to try threadline on: four messy sources and one story."""

from threadline.demo.generator import DemoSource, generate
from threadline.demo.landmarks import LANDMARKS, Landmarks
from threadline.demo.story import STORY, Story

__all__ = ["LANDMARKS", "STORY", "DemoSource", "Landmarks", "Story", "generate"]
