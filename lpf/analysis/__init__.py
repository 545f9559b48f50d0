"""Analysis of SR networks as signal-processing systems (any callable ``(N,C,H,W) -> (N,C,sH,sW)``).

- :mod:`lpf.analysis.impulse`      impulse images and responses, frequency response, DC gain
- :mod:`lpf.analysis.sinc`         sinc-likeness and THE sinc correlation, shape correlation
- :mod:`lpf.analysis.invariance`   linearity and shift invariance of the impulse response
- :mod:`lpf.analysis.diagnostics`  all of the above for one model (:func:`diagnose`)
- :mod:`lpf.analysis.hyra`         HyRA: N(I) = H(I) + G(I), exact and paper modes; band analysis
- :mod:`lpf.analysis.probes`       feature maps of a network for an impulse (forward hooks)
- :mod:`lpf.analysis.spectral`     cross width and energy bandwidth of spectra (Fig. 6)
- :mod:`lpf.analysis.distortions`  calibrated edits: spectral steganography (Fig. 7)

Layer: imports ``lpf.signal`` and ``lpf.metrics`` only (models are passed in, never loaded here).
"""
