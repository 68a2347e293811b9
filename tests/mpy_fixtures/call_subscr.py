fs = [print]
fs[0]("hi")
