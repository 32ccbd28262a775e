package io.lstmforecast.event;

/** A validated model bundle to switch to, as zip bytes (model.json + weights.npz). */
public record ModelUpdate(String name, String version, byte[] bundleZip) implements java.io.Serializable {}
