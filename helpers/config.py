"""Facts the whole course shares, each stated once."""

#: The seed of every random choice in the course: data shuffles, weight initialisation, noise.
SEED = 42
