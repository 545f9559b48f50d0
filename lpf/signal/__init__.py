"""Signal processing, the lowest layer (NumPy/torch only).

- :mod:`lpf.signal.spectra`   centred spectra, radial profiles, band energies, zero insertion
  (Appx. F)
- :mod:`lpf.signal.windows`   THE window family (Appx. E, Fig. 17)
- :mod:`lpf.signal.kernels`   sinc, interpolation kernels, frequency responses (Fig. 2)
- :mod:`lpf.signal.lpfsr`     sinc low-pass-filter super-resolution (Sec. 3, Figs. 5, 8)
- :mod:`lpf.signal.sampling`  1-D sampling, ideal recovery and aliasing (Figs. 11-13)
- :mod:`lpf.signal.curves`    smoothing and optima of 1-D curves (Fig. 8)
"""

__all__ = [
]
