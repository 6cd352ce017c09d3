"""The outputs: reports in every format, and the rendering of one claim for a person."""
