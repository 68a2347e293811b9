# Dicts keyed by strings, string building, splitting, joining and formatting.
def run(n):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    counts = {}
    total = 0
    for i in range(n):
        w = words[i % 8] + str(i % 97)
        counts[w] = counts.get(w, 0) + 1
        if i % 16 == 0:
            line = " ".join([w, words[(i + 3) % 8], "%d" % i])
            parts = line.split(" ")
            total += len(parts[0]) + len(parts[2].upper())
    for k in sorted(counts):
        total = (total + counts[k] * len(k)) & 0xFFFFFF
    return total, len(counts)


print("dict_str", run(30000))
