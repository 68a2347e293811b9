# machine on the simulated board: Pin modes, pulls, values and toggles; UART
# loopback, reads and lines; Signal; errors.
import machine
from machine import Pin, UART, Signal

print(Pin.IN, Pin.OUT, Pin.OPEN_DRAIN, Pin.PULL_UP, Pin.PULL_DOWN)
led = Pin("LED", Pin.OUT)
print(led, led.value())
led.on()
print(led.value(), led())
led.toggle()
print(led.value())
led(1)
led.value(0)
print(led.value())
up = Pin(3, Pin.IN, Pin.PULL_UP)
down = Pin(4, mode=Pin.IN, pull=Pin.PULL_DOWN)
print(up.value(), down.value())
od = Pin(5, Pin.OPEN_DRAIN, Pin.PULL_UP, value=1)
print(od.value())
od.value(0)
print(od.value())
p = Pin(6)
p.init(Pin.OUT, value=1)
print(p.value())
s = Signal(Pin(7, Pin.OUT), invert=True)
s.on()
print(Pin(7).value(), s.value())
s.off()
print(Pin(7).value(), s())

u = UART(1, 9600)
print(u, u.any(), u.read(), u.readline())
print(u.write(b"hello\nworld"), u.any())
print(u.readline(), u.read(3), u.any())
buf = bytearray(8)
print(u.readinto(buf), buf)
print(u.readinto(buf))
u.write("text")
print(u.read(), u.txdone())
u.init(115200, bits=7, parity=0, stop=2)
u.deinit()
try:
    u.read()
except OSError as e:
    print("OSError", e.errno)

for bad in (lambda: Pin(99), lambda: Pin("nope"), lambda: Pin(1, 7), lambda: UART(9),
            lambda: UART(0, bits=3), lambda: UART(0, baudrate=0)):
    try:
        bad()
    except (OSError, ValueError) as e:
        print(type(e).__name__, e)
print(type(machine.freq()), len(machine.unique_id()))
state = machine.disable_irq()
machine.enable_irq(state)
machine.idle()
