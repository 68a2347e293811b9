# machine.Signal over a Python pin (PinBase): subclassable, callable; the value
# is the pin's, inverted in bit 0 with invert=True.
import machine


class Pin(machine.PinBase):
    def __init__(self, v):
        self.v = v

    def value(self, v=None):
        if v is None:
            return self.v
        self.v = v


class MySignal(machine.Signal):
    pass


for level in (0, 1, 42, True):
    p = Pin(level)
    print(level, MySignal(p)(), MySignal(p, invert=True)(), machine.Signal(p).value())
p = Pin(0)
s = MySignal(p, invert=True)
s.on()
print(p.v, s())
s.off()
print(p.v, s())
